using System.Diagnostics;
using KubeDns.Cluster.Model;
using KubeDns.Testing.FakeApi;
using static KubeDns.Cluster.Tests.Kubernetes.ApiObjects;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>The API server away at start (not synced, retrying) and after sync (the last state kept, the problem said once).</summary>
public sealed class ApiSourceOutageTests : ApiSourceFixture
{
    private static readonly string[] Kinds = ["services", "endpointslices.discovery.k8s.io", "namespaces"];

    [Fact]
    public async Task StartAsync_ApiDown_ReturnsAtTheStartupTimeoutRetriesThenSyncsWhenTheApiStarts()
    {
        Server.Add(Service("default", "web", "10.96.0.10"));
        await Server.StopAsync();

        var clock = Stopwatch.StartNew();
        await StartSourceAsync(options => options with { StartupTimeout = TimeSpan.FromMilliseconds(300) });

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.False(Sync.AllSynced);
        Assert.Equal(Kinds.Select(k => "kubernetes/" + k).Order(StringComparer.Ordinal), Sync.Pending.Order(StringComparer.Ordinal));
        Assert.Equal(1, Logs.Count("Not every kind synced within"));
        await Until(() => Kinds.All(kind => Informer(kind).Relists >= 4), "several list attempts of each kind");
        Assert.All(Kinds, kind => Assert.StartsWith("the API server is unreachable", Sync.Problems["kubernetes/" + kind], StringComparison.Ordinal));
        Assert.All(Kinds, kind => Assert.Equal(1, Logs.Count($"kubernetes/{kind}: the API server is unreachable", "not ready")));
        Assert.Empty(Sink.Batches);

        await Server.StartAsync();

        await Until(() => Sync.AllSynced, "the sync once the API answers");
        Assert.NotNull(Sink.Service("default", "web"));
        Assert.Empty(Sync.Problems);
        Assert.All(Kinds, kind => Assert.Equal(1, Logs.Count($"kubernetes/{kind}: the API server answers again")));
    }

    [Fact]
    public async Task ApiDownAfterSync_SinkKeepsItsStateAndTheProblemIsLoggedOnce()
    {
        Server.Add(Namespace("default"));
        Server.Add(Service("default", "web", "10.96.0.10"));
        Server.Add(Slice("default", "web-abc", "web", "10.244.0.10"));
        await StartSourceAsync();
        await WatchingAsync(ApiKind.Services);
        var batches = Sink.Batches.Count;

        await Server.StopAsync();

        await Until(() => Kinds.All(kind => Sync.Problems.TryGetValue("kubernetes/" + kind, out var problem) && problem.Contains("Connection refused", StringComparison.Ordinal)), "every kind to report the refused connection");
        var warnings = Logs.Warnings.Count;
        var attempts = Informer("services").Watches;
        await Until(() => Kinds.All(kind => Informer(kind).Watches >= attempts + 4), "more reconnect attempts");

        // Retrying logs nothing more: one line for the cut connection, one for the refusals, per kind.
        Assert.Equal(warnings, Logs.Warnings.Count);
        Assert.All(Kinds, kind => Assert.Equal(1, Logs.Count($"kubernetes/{kind}: the API server is unreachable", "Connection refused", "serving the last state")));
        Assert.All(Logs.Warnings, warning => Assert.Contains("serving the last state", warning, StringComparison.Ordinal));
        Assert.True(Sync.AllSynced);
        Assert.Equal(batches, Sink.Batches.Count);
        Assert.NotNull(Sink.Service("default", "web"));
        Assert.NotNull(Sink.Slice("default", "web-abc"));
        Assert.True(Sink.HasNamespace("default"));
        Assert.All(Kinds, kind => Assert.Equal(1, Informer(kind).Relists));

        await Server.StartAsync();
        Server.Add(Service("default", "api", "10.96.0.11"));

        await Until(() => Sink.Service("default", "api") is not null, "a change after the API came back");
        await Until(() => !Sync.Problems.ContainsKey("kubernetes/services"), "the services problem to clear");
        Assert.Equal(1, Informer("services").Relists);
    }

    [Fact]
    public async Task StartAsync_KubeconfigMissing_ThrowsNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "kubedns-no-such-" + Guid.NewGuid().ToString("N"), "kubeconfig");

        var thrown = await Assert.ThrowsAsync<FileNotFoundException>(() => StartSourceAsync(options => options with { Kubeconfig = missing }));

        Assert.Contains(missing, thrown.Message, StringComparison.Ordinal);
        Assert.Contains("--kubeconfig", thrown.Message, StringComparison.Ordinal);
    }
}
