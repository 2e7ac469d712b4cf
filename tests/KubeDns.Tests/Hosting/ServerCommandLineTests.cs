using System.Net;
using KubeDns.Hosting;

namespace KubeDns.Tests.Hosting;

public sealed class ServerCommandLineTests
{
    [Fact]
    public void Parse_OnlyManifests_GivesDefaults()
    {
        ServerOptions options = ServerCommandLine.Parse(["--manifests", "demo/"]);

        Assert.Equal(["demo/"], options.Manifests);
        Assert.Equal([new IPEndPoint(IPAddress.Any, 53)], options.Listen);
        Assert.Equal("cluster.local", options.ClusterDomain);
        Assert.Equal(5u, options.Ttl);
        Assert.Equal(PodsMode.Insecure, options.Pods);
        Assert.False(options.EndpointPodNames);
        Assert.Equal(1232, options.MaxUdpSize);
        Assert.Equal(Math.Clamp(Environment.ProcessorCount, 1, 64), options.UdpSockets);
        Assert.Equal(TimeSpan.FromSeconds(10), options.TcpIdleTimeout);
        Assert.Equal(1000, options.MaxTcpConnections);
    }

    [Fact]
    public void Parse_EveryFlag_SetsItsOption()
    {
        ServerOptions options = ServerCommandLine.Parse(
        [
            "--manifests", "a.yaml", "--manifests", "dir",
            "--listen", "127.0.0.1:5353", "--listen", "[::1]:5354",
            "--cluster-domain", "Example.ORG.",
            "--ttl", "30",
            "--pods", "verified",
            "--endpoint-pod-names",
            "--max-udp-size", "4096",
            "--udp-sockets", "3",
            "--tcp-idle-timeout", "7",
            "--max-tcp-connections", "50",
        ]);

        Assert.Equal(["a.yaml", "dir"], options.Manifests);
        Assert.Equal([IPEndPoint.Parse("127.0.0.1:5353"), IPEndPoint.Parse("[::1]:5354")], options.Listen);
        Assert.Equal("example.org", options.ClusterDomain);
        Assert.Equal(30u, options.Ttl);
        Assert.Equal(PodsMode.Verified, options.Pods);
        Assert.True(options.EndpointPodNames);
        Assert.Equal(4096, options.MaxUdpSize);
        Assert.Equal(3, options.UdpSockets);
        Assert.Equal(TimeSpan.FromSeconds(7), options.TcpIdleTimeout);
        Assert.Equal(50, options.MaxTcpConnections);
    }

    [Theory]
    [InlineData("disabled", PodsMode.Disabled)]
    [InlineData("insecure", PodsMode.Insecure)]
    [InlineData("verified", PodsMode.Verified)]
    public void Parse_PodsMode_IsRead(string value, PodsMode expected)
        => Assert.Equal(expected, ServerCommandLine.Parse(["--manifests", "m", "--pods", value]).Pods);

    [Theory]
    [InlineData("--endpoint-pod-names=true", true)]
    [InlineData("--endpoint-pod-names=false", false)]
    public void Parse_EndpointPodNamesWithValue_IsRead(string flag, bool expected)
        => Assert.Equal(expected, ServerCommandLine.Parse(["--manifests", "m", flag]).EndpointPodNames);

    [Theory]
    [InlineData("[::1]:53", "::1", 53)]
    [InlineData("[::]:5353", "::", 5353)]
    [InlineData("[fd00::2]:0", "fd00::2", 0)]
    [InlineData("0.0.0.0:53", "0.0.0.0", 53)]
    [InlineData("10.96.0.10:65535", "10.96.0.10", 65535)]
    public void Parse_Listen_ReadsIPv4AndBracketedIPv6(string value, string address, int port)
    {
        ServerOptions options = ServerCommandLine.Parse(["--manifests", "m", "--listen", value]);

        Assert.Equal([new IPEndPoint(IPAddress.Parse(address), port)], options.Listen);
    }

    [Theory]
    [InlineData("kubedns: --listen: '127.0.0.1:99999' is not ADDR:PORT", "--listen", "127.0.0.1:99999")]
    [InlineData("kubedns: --listen: '::1:53' is not ADDR:PORT", "--listen", "::1:53")]
    [InlineData("kubedns: --listen: '127.0.0.1' is not ADDR:PORT", "--listen", "127.0.0.1")]
    [InlineData("kubedns: --listen: 'localhost:53' is not ADDR:PORT", "--listen", "localhost:53")]
    [InlineData("kubedns: --listen: '127.1:53' is not ADDR:PORT", "--listen", "127.1:53")]
    [InlineData("kubedns: --listen: '[127.0.0.1]:53' is not ADDR:PORT", "--listen", "[127.0.0.1]:53")]
    [InlineData("kubedns: --listen: '127.0.0.1:-1' is not ADDR:PORT", "--listen", "127.0.0.1:-1")]
    [InlineData("kubedns: --cluster-domain: 'bad_name.local' is not a DNS name", "--cluster-domain", "bad_name.local")]
    [InlineData("kubedns: --cluster-domain: '.' is not a DNS name", "--cluster-domain", ".")]
    [InlineData("kubedns: --cluster-domain: 'a..b' is not a DNS name", "--cluster-domain", "a..b")]
    [InlineData("kubedns: --cluster-domain: '-a.local' is not a DNS name", "--cluster-domain", "-a.local")]
    [InlineData("kubedns: --ttl: '-1' is not a whole number from 0 to 86400", "--ttl", "-1")]
    [InlineData("kubedns: --ttl: '86401' is not a whole number from 0 to 86400", "--ttl", "86401")]
    [InlineData("kubedns: --ttl: 'five' is not a whole number from 0 to 86400", "--ttl", "five")]
    [InlineData("kubedns: --pods: 'Verified' is not disabled, insecure or verified", "--pods", "Verified")]
    [InlineData("kubedns: --max-udp-size: '511' is not a whole number from 512 to 65507", "--max-udp-size", "511")]
    [InlineData("kubedns: --max-udp-size: '65508' is not a whole number from 512 to 65507", "--max-udp-size", "65508")]
    [InlineData("kubedns: --udp-sockets: '0' is not a whole number from 1 to 64", "--udp-sockets", "0")]
    [InlineData("kubedns: --udp-sockets: '65' is not a whole number from 1 to 64", "--udp-sockets", "65")]
    [InlineData("kubedns: --tcp-idle-timeout: '0' is not a whole number from 1 to 3600", "--tcp-idle-timeout", "0")]
    [InlineData("kubedns: --tcp-idle-timeout: '1.5' is not a whole number from 1 to 3600", "--tcp-idle-timeout", "1.5")]
    [InlineData("kubedns: --max-tcp-connections: '0' is not a whole number from 1 to 1000000", "--max-tcp-connections", "0")]
    [InlineData("kubedns: --endpoint-pod-names: unexpected value 'yes' (give the flag once per value)", "--endpoint-pod-names=yes", null)]
    [InlineData("kubedns: --manifests: '' is not a path", "--manifests", "")]
    public void TryParse_BadValue_GivesOneLineNamingTheFlag(string expected, string flag, string? value)
    {
        string[] args = value is null ? ["--manifests", "m", flag] : ["--manifests", "m", flag, value];

        Assert.False(ServerCommandLine.TryParse(args, out ServerOptions? options, out string? error));

        Assert.Null(options);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("kubedns: --bogus: unknown flag (see --help)", "--bogus")]
    [InlineData("kubedns: --ttl: missing value", "--ttl")]
    [InlineData("kubedns: --listen: missing value", "--listen")]
    [InlineData("kubedns: --ttl: given more than once", "--ttl", "1", "--ttl", "2")]
    [InlineData("kubedns: --ttl: unexpected value '2' (give the flag once per value)", "--ttl", "1", "2")]
    [InlineData("kubedns: --listen: unexpected value '[::1]:53' (give the flag once per value)", "--listen", "127.0.0.1:53", "[::1]:53")]
    [InlineData("kubedns: --listen: '1.2.3.4:5' is given twice", "--listen", "1.2.3.4:5", "--listen", "1.2.3.4:5")]
    [InlineData("kubedns: --listen: '--ttl' is not ADDR:PORT", "--listen", "--ttl", "3")]
    public void TryParse_BadCommandLine_GivesOneLineNamingTheFlag(string expected, params string[] rest)
    {
        Assert.False(ServerCommandLine.TryParse(["--manifests", "m", .. rest], out _, out string? error));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_ValueBeforeAnyFlag_IsAnUnexpectedArgument()
    {
        Assert.False(ServerCommandLine.TryParse(["stray", "--manifests", "m"], out _, out string? error));

        Assert.Equal("kubedns: 'stray': unexpected argument; each value follows its flag (see --help)", error);
    }

    [Fact]
    public void TryParse_NoSourceOutsideAPod_SaysHowToChoose()
    {
        Assert.False(ServerCommandLine.TryParse(["--listen", "127.0.0.1:5353"], () => false, out _, out string? error));

        Assert.StartsWith("kubedns: no cluster state to serve: pass --kubeconfig PATH", error, StringComparison.Ordinal);
        Assert.Contains("--manifests PATH", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void TryParse_NoSourceInAPod_UsesTheServiceAccount()
    {
        Assert.True(ServerCommandLine.TryParse([], () => true, out ServerOptions? options, out _));

        Assert.True(options.UseApi);
        Assert.Null(options.Kubeconfig);
        Assert.Null(options.Namespaces); // Absent means every namespace, not none.
    }

    [Fact]
    public void TryParse_ManifestsOnlyInAPod_DoesNotWatchTheApi()
    {
        Assert.True(ServerCommandLine.TryParse(["--manifests", "m"], () => true, out ServerOptions? options, out _));

        Assert.False(options.UseApi);
    }

    [Fact]
    public void TryParse_KubeconfigWithManifestsAndFilters_CombinesThem()
    {
        Assert.True(ServerCommandLine.TryParse(
            ["--kubeconfig", "/k", "--context", "c", "--manifests", "m", "--namespaces", "a,b", "--labels", "app=web,tier!=test", "--startup-timeout", "9"],
            () => false, out ServerOptions? options, out _));

        Assert.True(options.UseApi);
        Assert.Equal("/k", options.Kubeconfig);
        Assert.Equal("c", options.KubeContext);
        Assert.Equal(["a", "b"], options.Namespaces!.Order());
        Assert.Equal("app=web,tier!=test", options.Labels);
        Assert.Equal(TimeSpan.FromSeconds(9), options.StartupTimeout);
    }

    [Theory]
    [InlineData("--namespaces", "a,,b")]
    [InlineData("--namespaces", "Bad_NS")]
    [InlineData("--labels", "=x")]
    [InlineData("--startup-timeout", "601")]
    public void TryParse_BadApiFlag_NamesIt(string flag, string value)
    {
        Assert.False(ServerCommandLine.TryParse(["--kubeconfig", "/k", flag, value], () => false, out _, out string? error));

        Assert.StartsWith("kubedns: " + flag + ":", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ContextWithoutKubeconfig_IsAnError()
    {
        Assert.False(ServerCommandLine.TryParse(["--manifests", "m", "--context", "c"], () => false, out _, out string? error));

        Assert.StartsWith("kubedns: --context:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadValue_ThrowsWithTheLine()
    {
        var error = Assert.Throws<ArgumentException>(() => ServerCommandLine.Parse(["--manifests", "m", "--ttl", "x"]));

        Assert.StartsWith("kubedns: --ttl: 'x' is not", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryWriteHelpOrVersion_Help_ListsEveryFlagWithItsDefault()
    {
        using var output = new StringWriter();

        Assert.True(ServerCommandLine.TryWriteHelpOrVersion(["--help"], output));

        string help = output.ToString();
        foreach (string flag in new[] { "--manifests", "--kubeconfig", "--context", "--namespaces", "--labels", "--startup-timeout", "--listen", "--cluster-domain", "--ttl", "--pods", "--endpoint-pod-names", "--max-udp-size", "--udp-sockets", "--tcp-idle-timeout", "--max-tcp-connections" })
        {
            Assert.Contains(flag, help, StringComparison.Ordinal);
        }

        foreach (string value in new[] { "[default: 0.0.0.0:53]", "[default: cluster.local]", "[default: 5]", "[default: insecure]", "[default: 1232]", "[default: 10]", "[default: 1000]" })
        {
            Assert.Contains(value, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryWriteHelpOrVersion_Flags_WritesNothing()
    {
        using var output = new StringWriter();

        Assert.False(ServerCommandLine.TryWriteHelpOrVersion(["--manifests", "m", "--ttl", "x"], output));

        Assert.Empty(output.ToString());
    }

    [Fact]
    public void TryWriteHelpOrVersion_Version_WritesIt()
    {
        using var output = new StringWriter();

        Assert.True(ServerCommandLine.TryWriteHelpOrVersion(["--version"], output));

        Assert.NotEmpty(output.ToString().Trim());
    }

    [Fact]
    public void TryWriteHelpOrVersion_GoodFlags_WritesNothing()
    {
        using var output = new StringWriter();

        Assert.False(ServerCommandLine.TryWriteHelpOrVersion(["--manifests", "m", "--ttl", "3"], output));

        Assert.Empty(output.ToString());
    }

    [Fact]
    public void Parse_MonitoringDefaults_AreCoreDnsPortsAndAFiveSecondLameDuck()
    {
        ServerOptions options = ServerCommandLine.Parse(["--manifests", "m"]);

        Assert.Equal(new IPEndPoint(IPAddress.Any, 8080), options.HealthListen);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 8181), options.ReadyListen);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 9153), options.MetricsListen);
        Assert.Equal(TimeSpan.FromSeconds(5), options.LameDuck);
        Assert.False(options.LogQueries);
        Assert.False(options.JsonLogs);
    }

    [Fact]
    public void Parse_MonitoringFlags_SetTheirOptions()
    {
        ServerOptions options = ServerCommandLine.Parse(
            ["--manifests", "m", "--health-listen", "127.0.0.1:1", "--ready-listen", ":2", "--metrics-listen", "off", "--lameduck", "0", "--log-queries", "--log-format", "json"]);

        Assert.Equal(IPEndPoint.Parse("127.0.0.1:1"), options.HealthListen);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 2), options.ReadyListen);
        Assert.Null(options.MetricsListen);
        Assert.Equal(TimeSpan.Zero, options.LameDuck);
        Assert.True(options.LogQueries);
        Assert.True(options.JsonLogs);
    }

    [Theory]
    [InlineData("--health-listen", "8080", "kubedns: --health-listen: '8080' is not ADDR:PORT, :PORT or off")]
    [InlineData("--lameduck", "-1", "kubedns: --lameduck: '-1' is not a whole number from 0 to 300")]
    [InlineData("--log-format", "xml", "kubedns: --log-format: 'xml' is not text or json")]
    public void Parse_BadMonitoringValue_NamesTheFlag(string flag, string value, string expected)
    {
        Assert.False(ServerCommandLine.TryParse(["--manifests", "m", flag, value], () => false, out _, out string? error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Parse_ForwardingDefaults_AreResolvConfAndCoreDnsValues()
    {
        ServerOptions options = ServerCommandLine.Parse(["--manifests", "m"]);

        Assert.True(options.UpstreamsFromResolvConf);
        Assert.Empty(options.Upstreams);
        Assert.False(options.Autopath);
        Assert.Equal(TimeSpan.FromSeconds(2), options.UpstreamTimeout);
        Assert.Equal(1000, options.MaxConcurrent);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CacheTtl);
        Assert.Equal(10_000, options.CacheSize);
        Assert.Equal(TimeSpan.FromHours(1), options.ServeStale);
    }

    [Fact]
    public void Parse_ForwardingFlags_SetTheirOptions()
    {
        ServerOptions options = ServerCommandLine.Parse(
            ["--manifests", "m", "--upstream", "10.0.0.2", "--upstream", "10.0.0.3:5353", "--upstream", "[fd00::53]:53", "--upstream", "fd00::54",
             "--upstream-timeout", "500", "--max-concurrent", "20", "--cache-ttl", "0", "--cache-size", "5", "--serve-stale", "0", "--autopath"]);

        Assert.False(options.UpstreamsFromResolvConf);
        Assert.Equal(["10.0.0.2:53", "10.0.0.3:5353", "[fd00::53]:53", "[fd00::54]:53"], options.Upstreams.Select(u => u.ToString()));
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.UpstreamTimeout);
        Assert.Equal(20, options.MaxConcurrent);
        Assert.Equal(TimeSpan.Zero, options.CacheTtl);
        Assert.Equal(5, options.CacheSize);
        Assert.Equal(TimeSpan.Zero, options.ServeStale);
        Assert.True(options.Autopath);
    }

    [Fact]
    public void Parse_UpstreamNone_TurnsForwardingOff()
    {
        ServerOptions options = ServerCommandLine.Parse(["--manifests", "m", "--upstream", "none"]);

        Assert.False(options.UpstreamsFromResolvConf);
        Assert.Empty(options.Upstreams);
    }

    [Theory]
    [InlineData("dns.google", "kubedns: --upstream: 'dns.google' is not ADDR, ADDR:PORT or [IPv6]:PORT ('none' alone turns forwarding off)")]
    [InlineData("10.0.0.2:0", "kubedns: --upstream: '10.0.0.2:0' is not ADDR, ADDR:PORT or [IPv6]:PORT ('none' alone turns forwarding off)")]
    public void Parse_BadUpstream_NamesTheFlag(string value, string expected)
    {
        Assert.False(ServerCommandLine.TryParse(["--manifests", "m", "--upstream", value], () => false, out _, out string? error));
        Assert.Equal(expected, error);
    }
}
