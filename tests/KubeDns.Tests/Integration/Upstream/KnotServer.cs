using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Integration.Upstream;

/// <summary>
/// Knot DNS (from apt) on 127.0.0.1 as a real upstream, serving <c>example.org</c> and the reverse zone
/// <c>2.0.192.in-addr.arpa</c> from files in a temp folder, with NSID set (an EDNS option to relay) and a
/// zone whose file is missing (<c>broken.example</c>: SERVFAIL); stopped by pid, its folder removed, on
/// dispose. Knot does not forward: other names get REFUSED.
/// </summary>
internal sealed class KnotServer : IDisposable
{
    public const string Zone = """
        $ORIGIN example.org.
        $TTL 300
        @     IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 60
        @     IN NS  ns
        ns    IN A   127.0.0.1
        www   IN A   192.0.2.10
        www   IN AAAA 2001:db8::10
        @     IN MX  10 mail.example.org.
        mail  IN A   192.0.2.25
        txt   IN TXT "hello from knot"
        @     IN CAA 0 issue "letsencrypt.org"
        """;

    private readonly string _folder;
    private readonly string? _networkNamespace;
    private Process? _process;

    private KnotServer(string folder, int port, string? networkNamespace)
    {
        _folder = folder;
        Port = port;
        _networkNamespace = networkNamespace;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <param name="networkNamespace">Run inside this network namespace (on its loopback) instead of the test's.</param>
    public static KnotServer Start(string? networkNamespace = null)
    {
        var folder = Directory.CreateTempSubdirectory("kubedns-knot-").FullName;
        var server = new KnotServer(folder, ServerProcess.FreePort(), networkNamespace);
        var big = string.Join('\n', Enumerable.Range(0, 30).Select(i => $"big IN TXT \"line {i:D2} of a record set too long for 512 bytes\""));
        File.WriteAllText(Path.Combine(folder, "example.org.zone"), Zone + "\n" + big + "\n");
        File.WriteAllText(Path.Combine(folder, "2.0.192.in-addr.arpa.zone"), """
            $ORIGIN 2.0.192.in-addr.arpa.
            $TTL 300
            @   IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 60
            @   IN NS  ns.example.org.
            10  IN PTR www.example.org.

            """);
        File.WriteAllText(Path.Combine(folder, "knot.conf"), $"""
            server:
                rundir: "{folder}"
                listen: 127.0.0.1@{server.Port.ToString(CultureInfo.InvariantCulture)}
                nsid: "knot-test"
            log:
              - target: stderr
                any: warning
            database:
                storage: "{folder}/db"
            template:
              - id: default
                storage: "{folder}"
            zone:
              - domain: example.org
                file: example.org.zone
              - domain: 2.0.192.in-addr.arpa
                file: 2.0.192.in-addr.arpa.zone
              - domain: broken.example
                file: missing.zone

            """);
        server.Resume();
        return server;
    }

    /// <summary>Stops knotd (the upstream goes silent); <see cref="Resume"/> starts it again on the same port.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Resume()
    {
        var start = new ProcessStartInfo(_networkNamespace is null ? "knotd" : "ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (_networkNamespace is not null)
        {
            foreach (var prefix in new[] { "netns", "exec", _networkNamespace, "knotd" })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Path.Combine(_folder, "knot.conf"));
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start knotd");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        WaitUntilAnswering();
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_folder, recursive: true);
    }

    private void WaitUntilAnswering()
    {
        if (_networkNamespace is not null)
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (!ExternalCommand.Run("ip", "netns", "exec", _networkNamespace, "dig", "@127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "+short", "+tries=1", "+time=1", "www.example.org").StdOut.Contains("192.0.2.10", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < until, "knotd did not answer in the namespace");
                Thread.Sleep(50);
            }

            return;
        }

        UdpProbe.WaitUntilAnswering(EndPoint, QueryBytes.Build("www.example.org", 1), TimeSpan.FromSeconds(15),
            () => _process!.HasExited ? "knotd exited" : null);
    }
}
