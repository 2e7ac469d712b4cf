using System.Diagnostics;

namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>
/// A node with routed pods (../shared/reference/testing.md, "Traffic through generated rules"): a node
/// namespace with forwarding on; an outside client on 192.168.50.2 (the node is 192.168.50.1); backends b1..bN,
/// each in its own namespace on 10.0.i.2/24 behind the node's 10.0.i.1, running the echo backend. Each link is a
/// veth pair with its own subnet, so replies go back through the node's conntrack (no bridge). The node's
/// default route points at the client's link, its uplink.
/// </summary>
internal sealed class RoutedCluster : IDisposable
{
    public const string NodeIP = "192.168.50.1";
    public const string ClientIP = "192.168.50.2";
    public const string PodCidr = "10.0.0.0/16";

    private readonly List<NetworkNamespace> _namespaces = [];
    private readonly List<Process> _processes = [];
    private readonly List<NetworkNamespace> _backends = [];
    private readonly string _scripts = Directory.CreateTempSubdirectory("kdr-echo-").FullName;

    public RoutedCluster(int backends)
    {
        try
        {
            File.WriteAllText(Path.Combine(_scripts, "backend.py"), EchoScripts.Backend);
            File.WriteAllText(Path.Combine(_scripts, "client.py"), EchoScripts.Client);
            Node = Add("node");
            Client = Add("client");
            Link(Client, "c0", NodeIP, ClientIP);
            Node.Exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
            // A node has a default route (its uplink): traffic to a cluster IP that is not DNATed must still be
            // routed, so that it reaches the filter table's FORWARD chain (REJECT for services without endpoints).
            Node.Exec("ip", "route", "add", "default", "dev", "c0");
            // REJECT answers with ICMP port unreachable, which the kernel rate-limits per peer (1/s, and a new
            // peer starts with no tokens): the tests ask for several refusals within a second.
            Node.Exec("sysctl", "-qw", "net.ipv4.icmp_ratelimit=0");
            for (var i = 1; i <= backends; i++)
            {
                var backend = Add($"b{i}");
                _backends.Add(backend);
                Link(backend, $"b{i}", $"10.0.{i}.1", BackendIP(i));
                _processes.Add(Start("ip", "netns", "exec", backend.Name, "python3", Path.Combine(_scripts, "backend.py"), $"b{i}"));
            }

            for (var i = 1; i <= backends; i++)
            {
                WaitForBackend(i);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public NetworkNamespace Node { get; }

    public NetworkNamespace Client { get; }

    public static string BackendIP(int i) => $"10.0.{i}.2";

    /// <summary>
    /// <paramref name="count"/> attempts from the outside client to <paramref name="host"/>:<paramref name="port"/>;
    /// one line each: "bN source-address-seen", "refused" or "timeout".
    /// </summary>
    public IReadOnlyList<string> Connect(string protocol, string host, int port, int count) => ConnectFrom(Client, protocol, host, port, count);

    /// <summary>As <see cref="Connect"/>, from backend <paramref name="backend"/> (a pod calling a service).</summary>
    public IReadOnlyList<string> ConnectFromBackend(int backend, string protocol, string host, int port, int count) =>
        ConnectFrom(_backends[backend - 1], protocol, host, port, count);

    private string[] ConnectFrom(NetworkNamespace from, string protocol, string host, int port, int count) =>
        from.Exec("python3", Path.Combine(_scripts, "client.py"), protocol, host, port.ToString(System.Globalization.CultureInfo.InvariantCulture), count.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        foreach (var ns in _namespaces)
        {
            ns.Dispose();
        }

        Directory.Delete(_scripts, recursive: true);
    }

    private NetworkNamespace Add(string purpose)
    {
        var ns = new NetworkNamespace(purpose);
        _namespaces.Add(ns);
        return ns;
    }

    /// <summary>A veth from the node (<paramref name="nodeEnd"/>, <paramref name="nodeAddress"/>/24) to eth0 of <paramref name="pod"/>, default route via the node.</summary>
    private void Link(NetworkNamespace pod, string nodeEnd, string nodeAddress, string podAddress)
    {
        Node.Exec("ip", "link", "add", nodeEnd, "type", "veth", "peer", "name", "eth0", "netns", pod.Name);
        Node.Exec("ip", "addr", "add", $"{nodeAddress}/24", "dev", nodeEnd);
        Node.Exec("ip", "link", "set", nodeEnd, "up");
        pod.Exec("ip", "addr", "add", $"{podAddress}/24", "dev", "eth0");
        pod.Exec("ip", "link", "set", "eth0", "up");
        pod.Exec("ip", "route", "add", "default", "via", nodeAddress);
    }

    private void WaitForBackend(int i)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var (code, output) = Commands.Run("ip", "netns", "exec", Node.Name, "python3", Path.Combine(_scripts, "client.py"), "tcp", BackendIP(i), "8080", "1");
            if (code == 0 && output.StartsWith($"b{i} ", StringComparison.Ordinal))
            {
                return;
            }

            Thread.Sleep(50);
        }

        throw new InvalidOperationException($"backend b{i} did not start listening");
    }

    private static Process Start(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
