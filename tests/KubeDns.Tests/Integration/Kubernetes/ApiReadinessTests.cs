using System.Diagnostics;
using System.Net;
using KubeDns.Testing.FakeApi;
using KubeDns.Tests.Support;
using static KubeDns.Tests.Integration.Kubernetes.ClusterObjects;

namespace KubeDns.Tests.Integration.Kubernetes;

/// <summary>
/// Readiness and metrics detail against the fake API server: 503 naming the kinds not synced while the API
/// is away at start, 200 once every kind has synced, and still 200 (with the problem as detail and in
/// <c>kubedns_source_problem</c>) when the API goes away after sync, since the last state keeps being served.
/// </summary>
public sealed class ApiReadinessTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private FakeCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Ready_FlipsWhenEveryKindHasSynced_AndStaysWhenTheApiGoesAway()
    {
        _cluster.Api.Add(Service("default", "web", "10.96.8.1"));
        await _cluster.Api.StopAsync();
        using var server = _cluster.StartServer(startupTimeout: 1);
        var ready = server.HttpUrl("/ready");
        var metrics = server.HttpUrl("/metrics");

        var before = await Http.GetAsync(ready);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        var reasons = await before.Content.ReadAsStringAsync();
        Assert.Contains("kubernetes/services: not synced yet", reasons, StringComparison.Ordinal);
        Assert.Contains("kubernetes/endpointslices.discovery.k8s.io: not synced yet", reasons, StringComparison.Ordinal);
        Assert.Equal(0, Value(await ScrapeAsync(metrics), "kubedns_ready"));

        await _cluster.Api.StartAsync();
        await UntilAsync(async () => (await Http.GetAsync(ready)).StatusCode == HttpStatusCode.OK, server);
        var synced = await ScrapeAsync(metrics);
        Assert.Equal(1, Value(synced, "kubedns_ready"));
        Assert.Equal(1, Value(synced, "kubedns_source_synced", ("source", "kubernetes/services")));
        Assert.True(Value(synced, "kubedns_kubernetes_lists_total", ("source", "kubernetes/services")) >= 1);
        Assert.True(Value(synced, "kubedns_zone_names") > 5);

        await _cluster.Api.StopAsync();
        await UntilAsync(async () => (await Http.GetStringAsync(ready)).Contains("unreachable", StringComparison.Ordinal), server);
        var away = await Http.GetAsync(ready);
        Assert.Equal(HttpStatusCode.OK, away.StatusCode);
        Assert.StartsWith("OK\n", await away.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var problems = await ScrapeAsync(metrics);
        Assert.True(problems.Where(s => s.Name == "kubedns_source_problem").Sum(s => s.Value) >= 1, "a problem is reported in metrics");
    }

    [Fact]
    public async Task ProgrammingDuration_IsObservedForWatchEvents()
    {
        using var server = _cluster.StartServer();
        var dns = new DnsProbe(server);
        _cluster.Api.Add(Service("default", "late", "10.96.8.9"));
        await dns.UntilAddressesAsync("late.default.svc.cluster.local", "10.96.8.9");

        var samples = await ScrapeAsync(server.HttpUrl("/metrics"));

        Assert.True(Value(samples, "coredns_kubernetes_dns_programming_duration_seconds_count") >= 1);
    }

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(Uri metrics) =>
        PrometheusText.Parse(await Http.GetStringAsync(metrics));

    private static double Value(IReadOnlyList<PrometheusSample> samples, string name, params (string, string)[] labels) =>
        samples.Where(s => s.Name == name && s.Has(labels)).Sum(s => s.Value);

    private static async Task UntilAsync(Func<Task<bool>> condition, ServerProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < DnsProbe.Deadline, "the condition did not hold in time. Server output:\n" + server.Output);
            await Task.Delay(50);
        }
    }
}
