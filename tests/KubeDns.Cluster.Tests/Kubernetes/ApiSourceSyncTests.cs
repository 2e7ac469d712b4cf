using KubeDns.Cluster.Model;
using KubeDns.Testing.FakeApi;
using static KubeDns.Cluster.Tests.Kubernetes.ApiObjects;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>The first list of every kind: paged, complete, and marking each kind synced.</summary>
public sealed class ApiSourceSyncTests : ApiSourceFixture
{
    [Fact]
    public async Task StartAsync_PagedLists_DeliverEveryObjectOfEveryKindAndMarkEachSynced()
    {
        for (var i = 0; i < 7; i++)
        {
            Server.Add(Service("ns" + (i % 2), $"svc-{i}", $"10.96.0.{10 + i}"));
        }

        for (var i = 0; i < 5; i++)
        {
            Server.Add(Slice("ns" + (i % 2), $"svc-{i}-abc", $"svc-{i}", $"10.244.0.{10 + i}"));
        }

        Server.Add(Namespace("ns0"));
        Server.Add(Namespace("ns1"));
        Server.Add(Namespace("ns2"));
        Server.Add(Pod("ns0", "pod-a", "10.244.1.1"));
        Server.Add(Pod("ns1", "pod-b", "10.244.1.2"));
        Server.Add(Pod("ns1", "pod-c", "10.244.1.3"));
        var listed = Server.ResourceVersion;

        await StartSourceAsync(options => options with { WatchPods = true });

        Assert.True(Sync.AllSynced);
        Assert.Empty(Sync.Pending);
        Assert.Empty(Sync.Problems);
        Assert.Equal(7, Sink.Keys(ObjectKind.Service).Count);
        Assert.Equal(5, Sink.Keys(ObjectKind.EndpointSlice).Count);
        Assert.Equal(3, Sink.Keys(ObjectKind.Namespace).Count);
        Assert.Equal(3, Sink.Keys(ObjectKind.Pod).Count);
        Assert.Equal("10.96.0.16", Assert.Single(Sink.Service("ns0", "svc-6")!.ClusterIPs).ToString());
        Assert.Equal("10.244.1.3", Assert.Single(Sink.Pod("ns1", "pod-c")!.IPs).ToString());

        // 7 services in pages of 2: four requests, the last three continuing the first.
        var lists = ListRequests(ApiKind.Services);
        Assert.Equal(4, lists.Count);
        Assert.All(lists, request => Assert.Equal("2", request.QueryValue("limit")));
        Assert.Null(lists[0].QueryValue("continue"));
        Assert.All(lists.Skip(1), request => Assert.NotNull(request.QueryValue("continue")));
        Assert.Equal(3, ListRequests(ApiKind.EndpointSlices).Count);
        Assert.Equal(2, ListRequests(ApiKind.Pods).Count);

        // Each page is one batch: the sink never gets the whole cluster in one piece.
        Assert.All(Sink.Batches, batch => Assert.InRange(batch.Count, 1, 2));
        Assert.Equal(
            ["kubernetes/endpointslices.discovery.k8s.io: synced 5 objects", "kubernetes/namespaces: synced 3 objects", "kubernetes/pods: synced 3 objects", "kubernetes/services: synced 7 objects"],
            Logs.Logger.Entries.Select(entry => entry.Message).Where(message => message.Contains("synced", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        // Then a watch from the list's version, with bookmarks and a server-side timeout.
        await WatchingAsync(ApiKind.Services);
        var watch = WatchRequests(ApiKind.Services)[0];
        Assert.Equal(listed, watch.QueryValue("resourceVersion"));
        Assert.Equal("true", watch.QueryValue("allowWatchBookmarks"));
        Assert.Equal("60", watch.QueryValue("timeoutSeconds"));
    }

    [Fact]
    public async Task StartAsync_WithoutWatchPods_NeverAsksForPods()
    {
        Server.Add(Pod("default", "pod-a", "10.244.1.1"));

        await StartSourceAsync();
        await WatchingAsync(ApiKind.Services);

        Assert.True(Sync.AllSynced);
        Assert.Equal(["kubernetes/endpointslices.discovery.k8s.io", "kubernetes/namespaces", "kubernetes/services"], Source.Informers.Select(i => i.SourceName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Server.Requests, request => request.Kind == ApiKind.Pods);
        Assert.Empty(Sink.Keys(ObjectKind.Pod));
    }

    [Fact]
    public async Task StartAsync_EmptyCluster_SyncsWithNothingDelivered()
    {
        await StartSourceAsync(options => options with { WatchPods = true });

        Assert.True(Sync.AllSynced);
        Assert.Empty(Sink.Batches);
    }
}
