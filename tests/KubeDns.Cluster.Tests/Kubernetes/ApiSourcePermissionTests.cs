using KubeDns.Cluster.Model;
using KubeDns.Testing.FakeApi;
using static KubeDns.Cluster.Tests.Kubernetes.ApiObjects;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>A 403 names the verbs and resource to grant, keeps that kind unsynced, and is logged once however often it is retried.</summary>
public sealed class ApiSourcePermissionTests : ApiSourceFixture
{
    [Fact]
    public async Task ListForbidden_ProblemNamesTheVerbsAndResourceAndOnlyThatKindStaysPending()
    {
        Server.Add(Service("default", "web", "10.96.0.10"));
        Server.Add(Namespace("default"));
        Server.Forbid(ApiKind.Services, ApiVerb.List);

        await StartSourceAsync(options => options with { StartupTimeout = TimeSpan.FromMilliseconds(500) });
        await Until(() => Server.ListRequests(ApiKind.Services) >= 4, "several list attempts");

        Assert.False(Sync.AllSynced);
        Assert.Equal(["kubernetes/services"], Sync.Pending);
        var problem = Assert.Single(Sync.Problems);
        Assert.Equal("kubernetes/services", problem.Key);
        Assert.Contains("forbidden", problem.Value, StringComparison.Ordinal);
        Assert.Contains("'list' and 'watch' on 'services'", problem.Value, StringComparison.Ordinal);
        Assert.Contains("core API group", problem.Value, StringComparison.Ordinal);
        var logged = Assert.Single(Logs.Warnings, warning => warning.StartsWith("kubernetes/", StringComparison.Ordinal));
        Assert.Equal(1, Logs.Count("Not every kind synced within", "kubernetes/services"));
        Assert.Contains("'list' and 'watch' on 'services'", logged, StringComparison.Ordinal);
        Assert.Contains("not ready", logged, StringComparison.Ordinal);
        Assert.True(Sink.HasNamespace("default"));

        Server.Permit(ApiKind.Services, ApiVerb.List);

        await Until(() => Sync.AllSynced, "the sync once permitted");
        Assert.NotNull(Sink.Service("default", "web"));
        Assert.Empty(Sync.Problems);
    }

    [Fact]
    public async Task WatchForbiddenAfterSync_ProblemNamesTheGroupAndTheStateIsKept()
    {
        Server.Add(Slice("default", "web-abc", "web", "10.244.0.10"));
        await StartSourceAsync();
        await WatchingAsync(ApiKind.EndpointSlices);
        Server.Forbid(ApiKind.EndpointSlices, ApiVerb.Watch);

        Server.DropWatches(ApiKind.EndpointSlices);

        const string Source = "kubernetes/endpointslices.discovery.k8s.io";
        await Until(() => Sync.Problems.TryGetValue(Source, out var problem) && problem.StartsWith("forbidden", StringComparison.Ordinal), "the forbidden watch");
        Assert.Contains("'list' and 'watch' on 'endpointslices' (API group 'discovery.k8s.io')", Sync.Problems[Source], StringComparison.Ordinal);
        await Until(() => Server.WatchRequests(ApiKind.EndpointSlices) >= 5, "several watch attempts");
        Assert.Equal(1, Logs.Count("forbidden", "serving the last state"));
        Assert.True(Sync.AllSynced);
        Assert.NotNull(Sink.Slice("default", "web-abc"));
        Assert.Equal(1, Informer("endpointslices.discovery.k8s.io").Relists);

        Server.Permit(ApiKind.EndpointSlices, ApiVerb.Watch);
        Server.Add(Slice("default", "web-def", "web", "10.244.0.11"));

        await Until(() => Sink.Slice("default", "web-def") is not null && Sync.Problems.Count == 0, "the watch once permitted");
        Assert.Single(ChangesOf(ObjectKind.EndpointSlice, "default", "web-abc"));
    }
}
