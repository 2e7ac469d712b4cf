using System.Globalization;

namespace KubeDns.RuleScaleBenchmark;

/// <summary>
/// The data path: TCP connects through the loaded rules to a service's cluster IP, from inside the namespace
/// (the nat output hook, as a host-network pod's connection). An interface holds the service's endpoint
/// addresses (DNAT turns the connection local) and a default route, so the cluster IP is routable; a listener
/// on port 8080 accepts. Each connect is timed until established, then reset (no TIME_WAIT build-up). Only a
/// connection's first packet walks the NAT rules, so this is the cost kube-proxy's layouts differ in: iptables
/// checks KUBE-SERVICES rule by rule, nftables looks the service up in one map.
/// </summary>
internal static class ConnectLatency
{
    private const string Script = """
        import socket, statistics, struct, sys, threading, time
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("0.0.0.0", 8080))
        server.listen(4096)
        def accept():
            while True:
                c, _ = server.accept()
                c.close()
        threading.Thread(target=accept, daemon=True).start()
        count = int(sys.argv[1])
        for target in sys.argv[2:]:
            times = []
            for i in range(count + 100):
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                start = time.perf_counter()
                s.connect((target, 80))
                if i >= 100:
                    times.append((time.perf_counter() - start) * 1e6)
                s.close()
            times.sort()
            print(target, times[len(times) // 2], times[len(times) * 99 // 100])
        """;

    /// <summary>Median and p99 connect time in µs to each service's cluster IP, services numbered as in <see cref="SyntheticCluster"/>.</summary>
    public static IReadOnlyList<(int Service, double MedianUs, double P99Us)> Measure(BenchNamespace ns, int endpointsPerService, int count, params int[] services)
    {
        ns.Exec("ip", "link", "set", "lo", "up");
        // A veth pair (this kernel has no dummy driver), both ends in the namespace; one holds the addresses.
        ns.Exec("ip", "link", "add", "kdr0", "type", "veth", "peer", "name", "kdr1");
        ns.Exec("ip", "link", "set", "kdr0", "up");
        ns.Exec("ip", "link", "set", "kdr1", "up");
        ns.Exec("ip", "route", "add", "default", "dev", "kdr0");
        foreach (var service in services)
        {
            foreach (var endpoint in SyntheticCluster.Slice(service, endpointsPerService, generation: 0).Endpoints)
            {
                ns.Exec("ip", "addr", "add", $"{endpoint.Addresses[0]}/32", "dev", "kdr0");
            }
        }

        var script = Path.Combine(Path.GetTempPath(), $"kdr-connect-{Environment.ProcessId}.py");
        File.WriteAllText(script, Script);
        try
        {
            var output = ns.Exec(["python3", script, count.ToString(CultureInfo.InvariantCulture), .. services.Select(s => SyntheticCluster.Service(s).ClusterIPs[0].ToString())]);
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select((line, i) =>
            {
                var parts = line.Split(' ');
                return (services[i], double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
            })];
        }
        finally
        {
            File.Delete(script);
        }
    }
}
