using KubeDns.Cluster.Kubernetes;
using KubeDns.Cluster.Model;
using KubeDns.Testing.FakeApi;
using static KubeDns.Cluster.Tests.Kubernetes.ApiObjects;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary><c>--namespaces</c> drops other namespaces at ingest; <c>--labels</c> is sent to the API server with the Services list and watch.</summary>
public sealed class ApiSourceFilterTests : ApiSourceFixture
{
    [Fact]
    public async Task NamespacesFilter_DropsEveryKindFromOtherNamespaces()
    {
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            Server.Add(Namespace(ns));
            Server.Add(Service(ns, "web", "10.96.0.10"));
            Server.Add(Slice(ns, "web-abc", "web", "10.244.0.10"));
            Server.Add(Pod(ns, "web-0", "10.244.0.10"));
        }

        var filter = new InformerFilter(new HashSet<string>(["team-a"], StringComparer.Ordinal), null);
        await StartSourceAsync(options => options with { Filter = filter, WatchPods = true });

        Assert.Equal(["team-a"], Sink.Keys(ObjectKind.Namespace).Select(k => k.Name));
        Assert.Equal(["team-a/web"], Sink.Keys(ObjectKind.Service).Select(k => k.ToString()));
        Assert.Equal(["team-a/web-abc"], Sink.Keys(ObjectKind.EndpointSlice).Select(k => k.ToString()));
        Assert.Equal(["team-a/web-0"], Sink.Keys(ObjectKind.Pod).Select(k => k.ToString()));

        // Watched changes too: the team-b one comes first in the stream, so it was judged by the time team-a's arrives.
        await WatchingAsync(ApiKind.Services);
        Server.Add(Service("team-b", "api", "10.96.0.11"));
        Server.Add(Service("team-a", "api", "10.96.0.12"));
        await Until(() => Sink.Service("team-a", "api") is not null, "the team-a service");
        Assert.Null(Sink.Service("team-b", "api"));
        Assert.All(Sink.Batches.SelectMany(batch => batch), change => Assert.NotEqual("team-b", change.Kind == ObjectKind.Namespace ? change.Key.Name : change.Key.Namespace));
    }

    [Fact]
    public async Task LabelsFilter_IsSentWithTheServicesListAndWatchOnly()
    {
        var web = new Dictionary<string, string> { ["app"] = "web" };
        var db = new Dictionary<string, string> { ["app"] = "db" };
        Server.Add(Service("default", "web", "10.96.0.10", web));
        Server.Add(Service("default", "db", "10.96.0.11", db));
        Server.Add(Slice("default", "db-abc", "db", "10.244.0.11"));

        await StartSourceAsync(options => options with { Filter = new InformerFilter(null, "app=web") });
        await WatchingAsync(ApiKind.Services);

        Assert.Equal(["default/web"], Sink.Keys(ObjectKind.Service).Select(k => k.ToString()));
        Assert.NotNull(Sink.Slice("default", "db-abc"));
        Assert.All(ListRequests(ApiKind.Services).Concat(WatchRequests(ApiKind.Services)), request => Assert.Equal("app=web", request.QueryValue("labelSelector")));
        Assert.All(
            Server.Requests.Where(request => request.Kind is ApiKind.EndpointSlices or ApiKind.Namespaces),
            request => Assert.Null(request.QueryValue("labelSelector")));

        // Relabelled into the selector: the server sends ADDED; out of it: DELETED.
        Server.Update(Service("default", "db", "10.96.0.11", web));
        await Until(() => Sink.Service("default", "db") is not null, "the service relabelled into the selector");
        Server.Update(Service("default", "web", "10.96.0.10", db));
        await Until(() => Sink.Service("default", "web") is null, "the service relabelled out of the selector");
    }
}
