using KubeDns.Cluster.Model;
using KubeDns.Testing.FakeApi;
using static KubeDns.Cluster.Tests.Kubernetes.ApiObjects;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>410 Expired leads to a relist, applied as a diff: synthetic deletes for what vanished, nothing for what did not change.</summary>
public sealed class ApiSourceExpiredTests : ApiSourceFixture
{
    [Fact]
    public async Task ExpireHistory_AfterAnOutage_RelistDeletesServicesThatVanishedMeanwhile()
    {
        Server.Add(Service("default", "a", "10.96.0.10"));
        Server.Add(Service("default", "b", "10.96.0.11"));
        Server.Add(Service("default", "c", "10.96.0.12"));
        await StartSourceAsync();
        await WatchingAsync(ApiKind.Services);
        var stale = Server.ResourceVersion;

        await Server.StopAsync();
        Server.Delete(ApiKind.Services, "default", "b");
        Server.Update(Service("default", "a", "10.96.0.20"));
        Server.Add(Service("default", "d", "10.96.0.13"));
        Server.ExpireHistory(); // compaction: the informer's version is gone
        var current = Server.ResourceVersion;
        await Server.StartAsync();

        await Until(() => Sink.Service("default", "b") is null, "the synthetic delete of b");
        Assert.Equal("10.96.0.20", Sink.Service("default", "a")!.ClusterIPs[0].ToString());
        Assert.NotNull(Sink.Service("default", "d"));
        Assert.Equal(["default/a", "default/c", "default/d"], Sink.Keys(ObjectKind.Service).Select(k => k.ToString()));
        Assert.Equal([false, true], ChangesOf(ObjectKind.Service, "default", "b").Select(c => c.IsDelete));
        Assert.Single(ChangesOf(ObjectKind.Service, "default", "c"));
        Assert.Equal(2, Informer("services").Relists);

        // The first watch after the outage asked for the old version and met the 410; after the relist the
        // informer watches from the new list's version.
        await Server.WaitForAsync(() => WatchRequests(ApiKind.Services).Any(w => w.QueryValue("resourceVersion") == current), "a watch from the new list", Deadline);
        Assert.Equal([stale, stale, current], WatchRequests(ApiKind.Services).Select(w => w.QueryValue("resourceVersion")));
    }

    [Fact]
    public async Task ExpireHistory_OpenWatchGets410_RelistReEmitsNothingUnchanged()
    {
        for (var i = 0; i < 5; i++)
        {
            Server.Add(Service("default", $"svc-{i}", $"10.96.0.{10 + i}"));
        }

        await StartSourceAsync();
        await WatchingAsync(ApiKind.Services);
        var batches = Sink.Batches.Count;
        var lists = ListRequests(ApiKind.Services).Count;

        Server.ExpireHistory(closeOpenWatches: true);

        await Until(() => Informer("services").Relists == 2 && Informer("namespaces").Relists == 2 && Informer("endpointslices.discovery.k8s.io").Relists == 2, "the relists");
        await WatchingAsync(ApiKind.Services, 2);
        Assert.Equal(2 * lists, ListRequests(ApiKind.Services).Count); // the whole list again, in pages
        Assert.Equal(batches, Sink.Batches.Count);
        Assert.Empty(Sync.Problems);

        // The watch after the relist is live: a later change arrives once.
        Server.Update(Service("default", "svc-3", "10.96.0.99"));
        await Until(() => Sink.Service("default", "svc-3")?.ClusterIPs[0].ToString() == "10.96.0.99", "a change after the relist");
        Assert.Equal(2, ChangesOf(ObjectKind.Service, "default", "svc-3").Count);
    }

    [Fact]
    public async Task ExpiredContinueToken_ListStartsOverAndSyncs()
    {
        for (var i = 0; i < 6; i++)
        {
            Server.Add(Service("default", $"svc-{i}", $"10.96.0.{10 + i}"));
        }

        Server.FailNextLists(ApiKind.Services, 1, 410);

        await StartSourceAsync();

        Assert.True(Sync.AllSynced);
        Assert.Equal(6, Sink.Keys(ObjectKind.Service).Count);
        Assert.All(Sink.Keys(ObjectKind.Service), key => Assert.Single(ChangesOf(ObjectKind.Service, key.Namespace, key.Name)));
        Assert.Empty(Sync.Problems);
    }
}
