namespace KubeDns.Tests.Integration;

/// <summary>
/// What a pod sees: the server on port 53 inside a network namespace with the kubelet's resolv.conf, and
/// glibc's resolver (getent) and nslookup walking the search path to short names.
/// </summary>
public sealed class PodViewTests : IDisposable
{
    private readonly PodNetworkNamespace _pod = new();
    private readonly ServerProcess? _server;

    public PodViewTests()
    {
        // xunit does not dispose a class whose constructor threw: clean up here, or the namespace outlives the run.
        try
        {
            _server = ServerProcess.Start(["--manifests", RepositoryPaths.DemoManifests], port: 53, networkNamespace: _pod.Name);
            WaitUntilAnswering();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    [Theory]
    [InlineData("web", "10.96.0.20")]
    [InlineData("web.prod", "10.96.1.20")]
    [InlineData("web.default.svc.cluster.local", "10.96.0.20")]
    [InlineData("db-1.db.data", "10.244.2.11")]
    [InlineData("kube-dns.kube-system", "10.96.0.10")]
    public void Getaddrinfo_ResolvesShortNamesThroughTheSearchPath(string name, string expected)
    {
        var result = _pod.Run("getent", "ahostsv4", name);

        Assert.True(result.ExitCode == 0, $"getent ahostsv4 {name} failed ({result.ExitCode}); server said: {_server!.Output}");
        Assert.StartsWith(expected + " ", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Getaddrinfo_UnknownName_FailsCleanly()
    {
        var result = _pod.Run("getent", "ahostsv4", "no-such-service");

        Assert.Equal(2, result.ExitCode); // getent: key not found.
    }

    [Fact]
    public void Nslookup_ResolvesShortName()
    {
        var result = _pod.Run("nslookup", "web");

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("Name:\tweb.default.svc.cluster.local", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Address: 10.96.0.20", result.StdOut, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _server?.Dispose();
        _pod.Dispose();
    }

    private void WaitUntilAnswering()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_pod.Run("dig", "@127.0.0.1", "+short", "+tries=1", "+time=1", "dns-version.cluster.local", "TXT").StdOut.Trim() != "\"1.1.0\"")
        {
            Assert.False(_server!.HasExited, "the server exited: " + _server.Output);
            Assert.True(DateTime.UtcNow < deadline, "the server did not answer in the namespace: " + _server.Output);
            Thread.Sleep(100);
        }
    }
}
