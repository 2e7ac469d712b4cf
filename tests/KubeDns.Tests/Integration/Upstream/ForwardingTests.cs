using System.Diagnostics;
using System.Globalization;
using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace KubeDns.Tests.Integration.Upstream;

/// <summary>
/// The server process forwarding to Knot DNS on loopback: names outside the cluster answered as Knot
/// answers them (A, AAAA, MX, TXT, NXDOMAIN, a truncated UDP answer fetched again over TCP, reverse names
/// of outside addresses), cluster names never forwarded, answers cached and counted down, served stale,
/// failover past a silent upstream, SERVFAIL with nothing to go on, REFUSED beyond the in-flight bound.
/// </summary>
public sealed class ForwardingTests : IDisposable
{
    private readonly KnotServer _knot = KnotServer.Start();

    public void Dispose() => _knot.Dispose();

    [Theory]
    [InlineData("www.example.org", QueryType.A, "192.0.2.10")]
    [InlineData("www.example.org", QueryType.AAAA, "2001:db8::10")]
    [InlineData("example.org", QueryType.MX, "10 mail.example.org.")]
    [InlineData("txt.example.org", QueryType.TXT, "\"hello from knot\"")]
    [InlineData("10.2.0.192.in-addr.arpa", QueryType.PTR, "www.example.org.")]
    public async Task OutsideNames_AreAnsweredAsTheUpstreamAnswers(string name, QueryType type, string expected)
    {
        using var server = StartServer();

        var ours = await Ask(server.Port, name, type);
        var knot = await Ask(_knot.Port, name, type);

        Assert.Equal(DnsHeaderResponseCode.NoError, ours.Header.ResponseCode);
        Assert.Equal(Records(knot), Records(ours));
        Assert.Contains(expected, Records(ours).Single(), StringComparison.Ordinal);
        Assert.True(ours.Header.RecursionAvailable, "RA is set when forwarding");
    }

    [Fact]
    public void Relay_IsFaithful_EdnsOptionsDoBitUnusualTypesAndEveryRcode()
    {
        using var server = StartServer();

        var caa = Dig(server.Port, "+nsid", "+dnssec", "example.org", "CAA");
        var servfail = Dig(server.Port, "www.broken.example", "A");
        var refused = Dig(server.Port, "foo.invalid", "A");

        Assert.Contains("NSID: 6b 6e 6f 74 2d 74 65 73 74", caa, StringComparison.Ordinal); // Knot's EDNS option, relayed
        Assert.Contains("flags: do;", caa, StringComparison.Ordinal);
        Assert.Contains("CAA\t0 issue \"letsencrypt.org\"", caa, StringComparison.Ordinal);
        Assert.Contains("status: SERVFAIL", servfail, StringComparison.Ordinal);
        Assert.Contains("status: REFUSED", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamBack_AfterAnOutage_IsUsedAgain()
    {
        using var server = StartServer("--cache-ttl", "0", "--upstream-timeout", "300");
        _knot.Stop();
        Assert.Equal(DnsHeaderResponseCode.ServerFailure, (await Ask(server.Port, "www.example.org", QueryType.A)).Header.ResponseCode);
        Assert.Equal(DnsHeaderResponseCode.ServerFailure, (await Ask(server.Port, "www.example.org", QueryType.A)).Header.ResponseCode);

        _knot.Resume();

        var answer = await Ask(server.Port, "www.example.org", QueryType.A);
        Assert.Equal("192.0.2.10", ((ARecord)answer.Answers.Single()).Address.ToString());
    }

    [Fact]
    public async Task NxDomain_IsRelayedWithTheUpstreamsSoa()
    {
        using var server = StartServer();

        var answer = await Ask(server.Port, "nothing.example.org", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, answer.Header.ResponseCode);
        Assert.Equal("example.org.", Assert.IsType<SoaRecord>(Assert.Single(answer.Authorities)).DomainName.Value);
    }

    [Fact]
    public async Task ClusterNames_AreNeverForwarded_AndClusterAddressesAnsweredByUs()
    {
        using var server = StartServer();

        var missing = await Ask(server.Port, "nothing.default.svc.cluster.local", QueryType.A);
        var reverse = await Ask(server.Port, "20.0.96.10.in-addr.arpa", QueryType.PTR);
        var endpoint = await Ask(server.Port, "11.1.244.10.in-addr.arpa", QueryType.PTR);

        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, missing.Header.ResponseCode);
        Assert.Equal("cluster.local.", Assert.IsType<SoaRecord>(Assert.Single(missing.Authorities)).DomainName.Value);
        Assert.Equal("web.default.svc.cluster.local.", Assert.IsType<PtrRecord>(Assert.Single(reverse.Answers)).PtrDomainName.Value);
        Assert.True(reverse.Header.HasAuthorityAnswer);
        Assert.Equal("10-244-1-11.web.default.svc.cluster.local.", Assert.IsType<PtrRecord>(Assert.Single(endpoint.Answers)).PtrDomainName.Value);
        Assert.True(endpoint.Header.HasAuthorityAnswer);
    }

    [Fact]
    public async Task ExternalNameOutsideTheCluster_IsTheCnameThenTheTargetsRecords()
    {
        using var server = StartServer();

        var answer = await Ask(server.Port, "search.default.svc.cluster.local", QueryType.A);
        var aaaa = await Ask(server.Port, "search.default.svc.cluster.local", QueryType.AAAA);

        Assert.Equal(DnsHeaderResponseCode.NoError, answer.Header.ResponseCode);
        Assert.Equal("www.example.org.", Assert.IsType<CNameRecord>(answer.Answers[0]).CanonicalName.Value);
        Assert.Equal("192.0.2.10", Assert.IsType<ARecord>(answer.Answers[1]).Address.ToString());
        Assert.Equal("www.example.org.", answer.Answers[1].DomainName.Value);
        Assert.Equal("2001:db8::10", Assert.IsType<AaaaRecord>(aaaa.Answers[1]).Address.ToString());
    }

    [Fact]
    public void TruncatedUdpAnswer_IsFetchedAgainOverTcp_ForATcpClient()
    {
        using var server = StartServer();

        // Without EDNS the upstream's UDP answer is cut at 512 bytes (TC); a TCP client gets all 30 records.
        var udp = Dig(server.Port, "+notcp", "+noedns", "+ignore", "big.example.org", "TXT");
        var tcp = Dig(server.Port, "+tcp", "+noedns", "big.example.org", "TXT");

        Assert.Contains(" tc ", udp, StringComparison.Ordinal);
        Assert.Equal(30, tcp.Split('\n').Count(line => line.StartsWith("big.example.org.", StringComparison.Ordinal) && line.Contains("TXT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Answers_AreCachedWithTtlsCountedDown_AndOutliveTheUpstream()
    {
        using var server = StartServer("--cache-ttl", "30");

        var first = await Ask(server.Port, "www.example.org", QueryType.A);
        var nxdomain = await Ask(server.Port, "nothing.example.org", QueryType.A);
        Assert.Equal(30, (int)first.Answers.Single().TimeToLive); // Knot's 300 s, capped
        _knot.Stop();
        await Task.Delay(TimeSpan.FromSeconds(1.1));

        var cached = await Ask(server.Port, "www.example.org", QueryType.A);
        var cachedNx = await Ask(server.Port, "nothing.example.org", QueryType.A);

        Assert.Equal("192.0.2.10", ((ARecord)cached.Answers.Single()).Address.ToString());
        Assert.InRange((int)cached.Answers.Single().TimeToLive, 1, 29);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, cachedNx.Header.ResponseCode);
        Assert.Equal(nxdomain.Authorities.Count, cachedNx.Authorities.Count);
    }

    [Fact]
    public async Task Prefetch_RefreshesAPopularAnswerBeforeItExpires()
    {
        using var server = StartServer("--cache-ttl", "3", "--prefetch", "--serve-stale", "0", "--upstream-timeout", "200");
        await Ask(server.Port, "www.example.org", QueryType.A); // cached for 3 s
        await Ask(server.Port, "www.example.org", QueryType.A); // a second hit: popular
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        await Ask(server.Port, "www.example.org", QueryType.A); // in the last second: refreshed in the background
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        _knot.Stop();
        await Task.Delay(TimeSpan.FromSeconds(0.8)); // past the first answer's 3 s

        var answer = await Ask(server.Port, "www.example.org", QueryType.A);

        Assert.Equal("192.0.2.10", ((ARecord)answer.Answers.Single()).Address.ToString());
        Assert.InRange((int)answer.Answers.Single().TimeToLive, 1, 3);
    }

    [Fact]
    public async Task ExpiredAnswer_IsServedStaleWhenTheUpstreamIsDown()
    {
        using var server = StartServer("--cache-ttl", "1", "--serve-stale", "60", "--upstream-timeout", "200");
        await Ask(server.Port, "www.example.org", QueryType.A);
        _knot.Stop();
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        var stale = await Ask(server.Port, "www.example.org", QueryType.A);

        Assert.Equal("192.0.2.10", ((ARecord)stale.Answers.Single()).Address.ToString());
        Assert.Equal(30, (int)stale.Answers.Single().TimeToLive); // RFC 8767's stale TTL
    }

    [Fact]
    public async Task SilentUpstream_IsSkippedForTheNext_AndThenMarkedDown()
    {
        var silent = new IPEndPoint(IPAddress.Loopback, ServerProcess.FreePort());
        using var server = ServerProcess.Start(["--manifests", RepositoryPaths.DemoManifests, "--upstream", silent.ToString(), "--upstream", _knot.EndPoint.ToString(), "--upstream-timeout", "2000", "--cache-ttl", "0"]);

        for (var i = 0; i < 2; i++)
        {
            var answer = await Ask(server.Port, "www.example.org", QueryType.A, timeout: TimeSpan.FromSeconds(5));
            Assert.Equal("192.0.2.10", ((ARecord)answer.Answers.Single()).Address.ToString());
        }

        var clock = Stopwatch.StartNew();
        var skipped = await Ask(server.Port, "mail.example.org", QueryType.A);
        Assert.Equal("192.0.2.25", ((ARecord)skipped.Answers.Single()).Address.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(1500), $"took {clock.Elapsed.TotalMilliseconds} ms: the dead upstream (2 s timeout) was not skipped");
        Assert.Contains($"Upstream {silent} is not answering", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoUpstreamAnswering_IsServfail()
    {
        using var server = ServerProcess.Start(["--manifests", RepositoryPaths.DemoManifests, "--upstream", $"127.0.0.1:{ServerProcess.FreePort()}", "--upstream-timeout", "200"]);

        var answer = await Ask(server.Port, "www.example.org", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.ServerFailure, answer.Header.ResponseCode);
    }

    [Fact]
    public async Task BeyondTheInFlightBound_QueriesAreRefusedAtOnce()
    {
        using var server = ServerProcess.Start(["--manifests", RepositoryPaths.DemoManifests, "--upstream", $"127.0.0.1:{ServerProcess.FreePort()}", "--upstream-timeout", "3000", "--max-concurrent", "2"]);

        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Ask(server.Port, $"n{i}.example.org", QueryType.A, timeout: TimeSpan.FromSeconds(8))));

        var refused = answers.Count(a => a.Header.ResponseCode == DnsHeaderResponseCode.Refused);
        Assert.True(refused >= 3, $"{refused} of 6 refused");
        Assert.Equal(6 - refused, answers.Count(a => a.Header.ResponseCode == DnsHeaderResponseCode.ServerFailure));
    }

    [Fact]
    public void UpstreamThatIsThisServer_StopsStartup()
    {
        var port = ServerProcess.FreePort();
        var result = ExternalCommand.Run("dotnet",
            [RepositoryPaths.ServerAssembly, .. ServerProcess.WithTestDefaults(["--manifests", RepositoryPaths.DemoManifests, "--listen", $"0.0.0.0:{port}", "--upstream", $"127.0.0.1:{port}"])],
            TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"forwarding loop: upstream 127.0.0.1:{port} is this server's own listen address 0.0.0.0:{port}", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoServersForwardingToEachOther_FindTheLoop_AndAnswerServfailAtOnce()
    {
        var (portA, portB) = (ServerProcess.FreePort(), ServerProcess.FreePort());
        using var a = ServerProcess.Start(["--manifests", RepositoryPaths.DemoManifests, "--upstream", $"127.0.0.1:{portB}", "--upstream-timeout", "3000"], port: portA);
        using var b = ServerProcess.Start(["--manifests", RepositoryPaths.DemoManifests, "--upstream", $"127.0.0.1:{portA}", "--upstream-timeout", "3000"], port: portB);

        // B's probe goes to A, which forwards it back to B.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!b.Output.Contains("Forwarding loop", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "no loop found. B said:\n" + b.Output);
            await Task.Delay(100);
        }

        var clock = Stopwatch.StartNew();
        var answer = await Ask(portB, "www.example.org", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.ServerFailure, answer.Header.ResponseCode);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(2000), $"took {clock.Elapsed.TotalMilliseconds} ms: the query went round the loop (3 s timeout)");
        using var http = new HttpClient();
        Assert.Contains("upstream: forwarding loop", await http.GetStringAsync(b.HttpUrl("/ready")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountCacheHitsAndMissesAndForwardsPerUpstream()
    {
        using var server = StartServer();
        await Ask(server.Port, "www.example.org", QueryType.A); // miss, forwarded
        await Ask(server.Port, "www.example.org", QueryType.A); // hit
        await Ask(server.Port, "nothing.example.org", QueryType.A); // miss, forwarded, NXDOMAIN
        await Ask(server.Port, "nothing.example.org", QueryType.A); // hit (denial)

        using var http = new HttpClient();
        var samples = KubeDns.Tests.Support.PrometheusText.Parse(await http.GetStringAsync(server.HttpUrl("/metrics")));
        double Value(string name, params (string, string)[] labels) => samples.Where(s => s.Name == name && s.Has(labels)).Sum(s => s.Value);

        var to = ("to", _knot.EndPoint.ToString());
        Assert.Equal(2, Value("coredns_cache_misses_total"));
        Assert.Equal(1, Value("coredns_cache_hits_total", ("type", "success")));
        Assert.Equal(1, Value("coredns_cache_hits_total", ("type", "denial")));
        Assert.Equal(1, Value("coredns_cache_entries", ("type", "success")));
        Assert.Equal(1, Value("coredns_cache_entries", ("type", "denial")));
        // Besides our two misses, the loop probe (Knot refuses it: not its zone).
        var probes = Value("coredns_forward_responses_total", to, ("rcode", "REFUSED"));
        Assert.InRange(probes, 1, 2);
        Assert.Equal(2 + probes, Value("coredns_forward_requests_total", to));
        Assert.Equal(1, Value("coredns_forward_responses_total", to, ("rcode", "NXDOMAIN")));
        Assert.Equal(2 + probes, Value("coredns_forward_request_duration_seconds_count", to));
    }

    private ServerProcess StartServer(params string[] extra) =>
        ServerProcess.Start(["--manifests", RepositoryPaths.DemoManifests, "--upstream", _knot.EndPoint.ToString(), .. extra]);

    private static Task<IDnsQueryResponse> Ask(int port, string name, QueryType type, TimeSpan? timeout = null)
    {
        var client = new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, port))
        {
            UseCache = false,
            Retries = 0,
            Timeout = timeout ?? TimeSpan.FromSeconds(3),
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            UseTcpFallback = true,
        });
        return client.QueryAsync(name, type);
    }

    /// <summary>The answer records as text without their TTLs (which differ by design: ours are capped).</summary>
    private static List<string> Records(IDnsQueryResponse response) =>
        [.. response.Answers.Select(r => r.ToString().Split(' ', 3) is [var owner, _, var rest] ? $"{owner} {rest}" : r.ToString()).Order(StringComparer.Ordinal)];

    private static string Dig(int port, params string[] arguments) =>
        ExternalCommand.Check("dig", ["@127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "+tries=1", "+time=3", .. arguments]);
}
