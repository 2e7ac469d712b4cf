using System.Diagnostics;
using System.Net;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Integration;

/// <summary>
/// The server process's HTTP endpoints over real HTTP: liveness, readiness, a Prometheus scrape parsed as
/// the text format and checked against queries sent with dig, and the lame-duck sequence on SIGTERM.
/// </summary>
public sealed class MonitoringTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task HealthAndReady_OnTheDemoManifests_AreOk()
    {
        using var server = ServerProcess.StartOnDemo();

        var health = await Http.GetAsync(server.HttpUrl("/health"));
        var ready = await Http.GetAsync(server.HttpUrl("/ready"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("OK\n", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(new Uri(server.HttpUrl("/health"), "/nothing"))).StatusCode);
    }

    [Fact]
    public async Task Metrics_CountQueriesByTypeProtocolAndRcode_UnderCoreDnsNames()
    {
        using var server = ServerProcess.StartOnDemo();
        var before = PrometheusText.Parse(await Http.GetStringAsync(server.HttpUrl("/metrics")));

        for (var i = 0; i < 3; i++)
        {
            Dig(server, "+notcp", "web.default.svc.cluster.local", "A");
        }

        Dig(server, "+tcp", "web.default.svc.cluster.local", "A");
        Dig(server, "+notcp", "nothing.default.svc.cluster.local", "AAAA");
        Dig(server, "+notcp", "_http._tcp.web.default.svc.cluster.local", "SRV");

        var after = PrometheusText.Parse(await Http.GetStringAsync(server.HttpUrl("/metrics")));
        double Delta(string name, params (string, string)[] labels) => Sum(after, name, labels) - Sum(before, name, labels);

        var server_ = ("server", $"dns://127.0.0.1:{server.Port}");
        Assert.Equal(3, Delta("coredns_dns_requests_total", server_, ("proto", "udp"), ("family", "1"), ("type", "A"), ("zone", ".")));
        Assert.Equal(1, Delta("coredns_dns_requests_total", ("proto", "tcp"), ("type", "A")));
        Assert.Equal(1, Delta("coredns_dns_requests_total", ("type", "AAAA")));
        Assert.Equal(1, Delta("coredns_dns_requests_total", ("type", "SRV")));
        Assert.Equal(5, Delta("coredns_dns_responses_total", ("rcode", "NOERROR")));
        Assert.Equal(1, Delta("coredns_dns_responses_total", ("rcode", "NXDOMAIN")));
        Assert.Equal(4, Delta("coredns_dns_request_duration_seconds_count", ("type", "A")));
        Assert.Equal(1, Delta("coredns_dns_request_size_bytes_count", ("proto", "tcp")));
        Assert.Equal(5, Delta("coredns_dns_response_size_bytes_count", ("proto", "udp")));
        Assert.True(Delta("coredns_dns_response_size_bytes_sum", ("proto", "udp")) > 5 * 12, "response sizes are at least a header each");

        // Our own: the zone and the source, and the process metrics dashboards read.
        Assert.True(Sum(after, "kubedns_zone_names") > 10);
        Assert.Equal(1, Sum(after, "kubedns_ready"));
        Assert.Equal(1, Sum(after, "kubedns_source_synced", ("source", "manifests")));
        Assert.Equal(0, Sum(after, "kubedns_source_problem", ("source", "manifests")));
        Assert.Contains(after, s => s.Name == "process_cpu_seconds_total");
    }

    [Fact]
    public async Task Sigterm_GoesNotReadyKeepsAnsweringThroughLameDuckThenExitsZero()
    {
        using var server = ServerProcess.StartOnDemo("--lameduck", "3");
        var ready = server.HttpUrl("/ready");
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(ready)).StatusCode);

        var clock = Stopwatch.StartNew();
        server.Terminate();

        // Readiness fails at once, with the reason...
        var notReady = await UntilAsync(async () => await Http.GetAsync(ready) is { StatusCode: HttpStatusCode.ServiceUnavailable } r ? r : null);
        Assert.Contains("shutting down (lame duck)", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // ...while DNS still answers, over UDP and TCP.
        Assert.Contains("10.96.0.20", Dig(server, "+notcp", "web.default.svc.cluster.local", "A"), StringComparison.Ordinal);
        Assert.Contains("10.96.0.20", Dig(server, "+tcp", "web.default.svc.cluster.local", "A"), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "the checks ran inside the lame-duck period");

        Assert.Equal(0, server.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3), $"exited after {clock.Elapsed}, before the 3 s lame duck ended");
        Assert.Contains("lame duck", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonLogsWithQueryLog_AreOneJsonObjectPerLine_AndOnePerQuery()
    {
        using var server = ServerProcess.StartOnDemo("--log-format", "json", "--log-queries");

        Dig(server, "+notcp", "web.default.svc.cluster.local", "A");
        Dig(server, "+notcp", "nothing.default.svc.cluster.local", "AAAA");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!server.Output.Contains("nothing.default.svc.cluster.local.", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var entries = lines.Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement).ToList();
        var queries = entries.Where(e => e.GetProperty("Category").GetString() == "KubeDns.Monitoring.QueryLog").ToList();
        Assert.Contains(queries, q => q.GetProperty("State").GetProperty("Name").GetString() == "web.default.svc.cluster.local."
            && q.GetProperty("State").GetProperty("Rcode").GetString() == "NOERROR" && q.GetProperty("State").GetProperty("Type").GetString() == "A");
        Assert.Contains(queries, q => q.GetProperty("State").GetProperty("Name").GetString() == "nothing.default.svc.cluster.local."
            && q.GetProperty("State").GetProperty("Rcode").GetString() == "NXDOMAIN");
    }

    [Fact]
    public void DefaultLogs_HaveNoPerQueryLines()
    {
        using var server = ServerProcess.StartOnDemo();

        Dig(server, "+notcp", "web.default.svc.cluster.local", "A");
        Thread.Sleep(300); // the console logger writes from a queue: give a line time to show

        Assert.DoesNotContain("QueryLog", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpAddressInUse_FailsStartupNamingIt()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = ExternalCommand.Run("dotnet",
            [RepositoryPaths.ServerAssembly, .. ServerProcess.WithTestDefaults(["--manifests", RepositoryPaths.DemoManifests, "--listen", $"127.0.0.1:{ServerProcess.FreePort()}", "--ready-listen", $"127.0.0.1:{port}"])],
            TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot serve /ready on http://127.0.0.1:{port}", result.StdErr, StringComparison.Ordinal);
    }

    private static double Sum(IReadOnlyList<PrometheusSample> samples, string name, params (string, string)[] labels) =>
        samples.Where(s => s.Name == name && s.Has(labels)).Sum(s => s.Value);

    private static string Dig(ServerProcess server, params string[] arguments) =>
        ExternalCommand.Check("dig", ["@127.0.0.1", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+tries=1", "+time=2", .. arguments]);

    private static async Task<T> UntilAsync<T>(Func<Task<T?>> attempt)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (await attempt() is { } result)
            {
                return result;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("the condition did not hold within 10 s");
    }
}
