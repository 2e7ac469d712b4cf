using System.Globalization;

namespace KubeDns.LoadBenchmark;

/// <summary>
/// The whole run: generate the cluster and the queries, start both servers, warm each up, then dnsperf
/// A B A B over UDP (and TCP), and a fixed moderate rate for latency; print the medians and the ratio.
/// </summary>
internal static class LoadRun
{
    public static int Run(LoadOptions options, string folder)
    {
        var manifests = Path.Combine(folder, "manifests");
        var zone = Path.Combine(folder, "cluster.local.zone");
        var queries = Path.Combine(folder, "queries.txt");
        var externalZone = Path.Combine(folder, "example.org.zone");
        var externalQueries = Path.Combine(folder, "external-queries.txt");
        ClusterFiles.WriteManifests(manifests, options);
        ClusterFiles.WriteZone(zone, options);
        ClusterFiles.WriteExternalZone(externalZone);
        QueryMix.WriteExternal(externalQueries, options);
        var (hits, nodata, nxdomain) = QueryMix.Write(queries, options);
        var total = (double)(hits + nodata + nxdomain);
        Console.WriteLine($"Cluster: {options.Services:N0} services in {options.Namespaces} namespaces. Queries: {total:N0} "
            + $"({hits / total:P0} hits, {nodata / total:P0} AAAA NODATA, {nxdomain / total:P0} NXDOMAIN first tries).");
        var load = LoadAverage();

        using var knot = ServerUnderTest.StartKnot(folder, zone, externalZone);
        using var ours = ServerUnderTest.StartKubeDns(manifests, knot.Port, options.ServerProgram);
        ServerUnderTest[] servers = [ours, knot];
        var warmup = options with { Seconds = 3 };
        foreach (var server in servers)
        {
            Dnsperf.Run(server.Port, queries, warmup);
            Dnsperf.Run(server.Port, externalQueries, warmup); // fills KubeDns's cache from Knot
        }

        var udp = Rounds(servers, queries, options, tcp: false);
        var tcp = options.Tcp ? Rounds(servers, queries, options, tcp: true) : null;
        var forwarded = Rounds(servers, externalQueries, options, tcp: false, "forwarded");
        var fixedRate = servers.ToDictionary(s => s.Name, s => Dnsperf.Run(s.Port, queries, options, rate: options.Rate));

        Console.WriteLine();
        Console.WriteLine($"## KubeDns against Knot DNS, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average at start {load}");
        Console.WriteLine();
        Console.WriteLine($"dnsperf -c {options.Clients} -T {options.Threads} -q {options.Outstanding} -l {options.Seconds}, {options.Rounds} rounds A B A B, medians:");
        Console.WriteLine();
        Console.WriteLine("| Round | Server | Queries/s | Lost % | Avg latency ms | Runs (queries/s) |");
        Console.WriteLine("|---|---|---:|---:|---:|---|");
        Print("UDP", udp);
        if (tcp is not null)
        {
            Print("TCP", tcp);
        }

        Print("UDP, names outside the cluster (KubeDns: its cache; Knot: authoritative)", forwarded);

        foreach (var (name, result) in fixedRate)
        {
            Console.WriteLine($"| UDP at {options.Rate:N0}/s | {name} | {result.QueriesPerSecond:N0} | {result.LostPercent:F2} | {result.AverageLatencyMs:F3} (sd {result.LatencyStdDevMs:F3}) | |");
        }

        Console.WriteLine();
        Console.WriteLine($"Ratio KubeDns / Knot, UDP queries/s: {Ratio(udp):F2}" + (tcp is null ? "" : $"; TCP: {Ratio(tcp):F2}") + $"; forwarded names: {Ratio(forwarded):F2}");
        return 0;
    }

    private static Dictionary<string, List<PerfResult>> Rounds(ServerUnderTest[] servers, string queries, LoadOptions options, bool tcp, string? label = null)
    {
        var results = servers.ToDictionary(s => s.Name, _ => new List<PerfResult>());
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var server in servers)
            {
                var result = Dnsperf.Run(server.Port, queries, options, tcp);
                results[server.Name].Add(result);
                Console.WriteLine($"{label ?? (tcp ? "TCP" : "UDP")} round {round + 1}, {server.Name}: {result.QueriesPerSecond:N0} queries/s, lost {result.LostPercent:F2}%, latency {result.AverageLatencyMs:F3} ms");
            }
        }

        return results;
    }

    private static void Print(string round, Dictionary<string, List<PerfResult>> results)
    {
        foreach (var (name, runs) in results)
        {
            var median = Median(runs);
            Console.WriteLine($"| {round} | {name} | {median.QueriesPerSecond:N0} | {median.LostPercent:F2} | {median.AverageLatencyMs:F3} | {string.Join(", ", runs.Select(r => r.QueriesPerSecond.ToString("N0", CultureInfo.InvariantCulture)))} |");
        }
    }

    private static double Ratio(Dictionary<string, List<PerfResult>> results) =>
        Median(results["KubeDns"]).QueriesPerSecond / Median(results["Knot"]).QueriesPerSecond;

    /// <summary>The run with the median queries/s (its lost and latency go with it).</summary>
    private static PerfResult Median(List<PerfResult> runs) => runs.OrderBy(r => r.QueriesPerSecond).ElementAt(runs.Count / 2);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
