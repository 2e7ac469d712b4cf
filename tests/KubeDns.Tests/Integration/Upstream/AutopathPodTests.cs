using System.Globalization;

namespace KubeDns.Tests.Integration.Upstream;

/// <summary>
/// Autopath end to end with glibc: a "pod" network namespace at the address of a demo pod in
/// <c>default</c> (10.244.1.10), the kubelet's resolv.conf (ndots:5) pointing at the server there, Knot as
/// the upstream in the same namespace. getaddrinfo of an external name, of a short name in another
/// namespace and of a name under the node's search domain each takes one query on the wire, counted in
/// the server's query log.
/// </summary>
public sealed class AutopathPodTests : IDisposable
{
    private const string PodAddress = "10.244.1.10";
    // The node's search domain example.org (Knot's zone) follows the cluster's, as the kubelet writes it; the
    // server runs in the namespace too, so it reads the same resolv.conf (as with dnsPolicy: Default).
    private readonly PodNetworkNamespace _pod = new("default", PodAddress, nameserver: PodAddress, nodeSearch: "example.org");
    private readonly KnotServer? _knot;
    private readonly ServerProcess? _server;

    public AutopathPodTests()
    {
        // xunit does not dispose a class whose constructor threw: clean up here, or the namespace outlives the run.
        try
        {
            _knot = KnotServer.Start(_pod.Name);
            _server = ServerProcess.Start(
                ["--manifests", RepositoryPaths.DemoManifests, "--autopath", "--log-queries", "--listen", $"{PodAddress}:53",
                 "--upstream", $"127.0.0.1:{_knot.Port.ToString(CultureInfo.InvariantCulture)}"],
                port: 53, networkNamespace: _pod.Name);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (_pod.Run("dig", $"@{PodAddress}", "+short", "+tries=1", "+time=1", "dns-version.cluster.local", "TXT").StdOut.Trim() != "\"1.1.0\"")
            {
                Assert.False(_server.HasExited, "the server exited: " + _server.Output);
                Assert.True(DateTime.UtcNow < deadline, "the server did not answer in the namespace: " + _server.Output);
                Thread.Sleep(100);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private ServerProcess Server => _server!;

    [Theory]
    [InlineData("www.example.org", "192.0.2.10")] // external: the first try becomes a CNAME to the upstream's answer
    [InlineData("web.prod", "10.96.1.20")] // another namespace's service
    [InlineData("mail", "192.0.2.25")] // found under the node's search domain: mail.example.org
    public void Getaddrinfo_TakesOneQuery(string name, string expected)
    {
        var before = QueryLines();

        var result = _pod.Run("getent", "ahostsv4", name);

        Assert.True(result.ExitCode == 0, $"getent ahostsv4 {name} failed ({result.ExitCode}): {result.StdErr}; server said: {Server.Output}");
        Assert.StartsWith(expected + " ", result.StdOut, StringComparison.Ordinal);
        WaitForLogs();
        var queries = QueryLines().Skip(before.Count).ToList();
        Assert.True(queries.Count == 1, $"expected one query on the wire, saw {queries.Count}:\n{string.Join('\n', queries)}");
        Assert.Contains($"{name}.default.svc.cluster.local.", queries[0], StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _server?.Dispose();
        _knot?.Dispose();
        _pod.Dispose();
    }

    private List<string> QueryLines() =>
        [.. Server.Output.Split('\n').Where(line => line.Contains("KubeDns.Monitoring.QueryLog", StringComparison.Ordinal) && !line.Contains("dns-version", StringComparison.Ordinal))];

    /// <summary>The console logger writes from a queue: give the last line time to arrive.</summary>
    private static void WaitForLogs() => Thread.Sleep(300);
}
