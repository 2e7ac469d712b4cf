using KubeDns.Cluster.Model;
using KubeDns.Testing.FakeApi;
using static KubeDns.Cluster.Tests.Kubernetes.ApiObjects;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>After the first list, added, modified and deleted objects of each kind reach the sink through the watch.</summary>
public sealed class ApiSourceWatchTests : ApiSourceFixture
{
    [Fact]
    public async Task Watch_ServiceAddedModifiedDeleted_ReachTheSinkOnceEach()
    {
        await StartSourceAsync();
        await WatchingAsync(ApiKind.Services);

        Server.Add(Service("default", "web", "10.96.0.10"));
        await Until(() => Sink.Service("default", "web") is not null, "the added service");
        Server.Update(Service("default", "web", "10.96.0.11"));
        await Until(() => Sink.Service("default", "web")?.ClusterIPs[0].ToString() == "10.96.0.11", "the modified service");
        Server.Delete(ApiKind.Services, "default", "web");
        await Until(() => Sink.Service("default", "web") is null, "the deleted service");

        Assert.Equal([false, false, true], ChangesOf(ObjectKind.Service, "default", "web").Select(c => c.IsDelete));
        Assert.Equal(1, Informer("services").Watches);
    }

    [Fact]
    public async Task Watch_EndpointSliceAddedModifiedDeleted_ReachTheSink()
    {
        await StartSourceAsync();
        await WatchingAsync(ApiKind.EndpointSlices);

        Server.Add(Slice("data", "db-1", "db", "10.244.2.10"));
        await Until(() => Sink.Slice("data", "db-1") is { ServiceName: "db" }, "the added slice");
        Server.Update(Slice("data", "db-1", "db", "10.244.2.10", "10.244.2.11"));
        await Until(() => Sink.Slice("data", "db-1")?.Endpoints.Count == 2, "the modified slice");
        Server.Delete(ApiKind.EndpointSlices, "data", "db-1");
        await Until(() => Sink.Slice("data", "db-1") is null, "the deleted slice");

        Assert.Equal(3, ChangesOf(ObjectKind.EndpointSlice, "data", "db-1").Count);
    }

    [Fact]
    public async Task Watch_NamespaceAddedModifiedDeleted_ReachTheSink()
    {
        await StartSourceAsync();
        await WatchingAsync(ApiKind.Namespaces);

        Server.Add(Namespace("team-a"));
        await Until(() => Sink.HasNamespace("team-a"), "the added namespace");
        Server.Update(Namespace("team-a", new Dictionary<string, string> { ["owner"] = "x" }));
        await Until(() => ChangesOf(ObjectKind.Namespace, "", "team-a").Count == 2, "the modified namespace");
        Server.Delete(ApiKind.Namespaces, null, "team-a");
        await Until(() => !Sink.HasNamespace("team-a"), "the deleted namespace");

        Assert.Equal([false, false, true], ChangesOf(ObjectKind.Namespace, "", "team-a").Select(c => c.IsDelete));
    }

    [Fact]
    public async Task Watch_PodAddedModifiedDeleted_ReachTheSinkWhenPodsAreWatched()
    {
        await StartSourceAsync(options => options with { WatchPods = true });
        await WatchingAsync(ApiKind.Pods);

        Server.Add(Pod("default", "api-0", "10.244.1.10"));
        await Until(() => Sink.Pod("default", "api-0") is not null, "the added pod");
        Server.Update(Pod("default", "api-0", "10.244.1.11"));
        await Until(() => Sink.Pod("default", "api-0")?.IPs[0].ToString() == "10.244.1.11", "the modified pod");
        Server.Delete(ApiKind.Pods, "default", "api-0");
        await Until(() => Sink.Pod("default", "api-0") is null, "the deleted pod");

        Assert.Equal(3, ChangesOf(ObjectKind.Pod, "default", "api-0").Count);
    }

    [Fact]
    public async Task Watch_Events_AreCountedInProgrammingLatencyButTheListIsNot()
    {
        Server.Add(Service("default", "listed", "10.96.0.9"));
        await StartSourceAsync();
        Assert.Equal(0, Latency.Count);
        await WatchingAsync(ApiKind.Services);

        Server.Add(Service("default", "a", "10.96.0.10"));
        Server.Add(Service("default", "b", "10.96.0.11"));
        Server.Delete(ApiKind.Services, "default", "a");
        await Until(() => Latency.Count == 3, "three latency samples");

        Assert.InRange(Latency.Max, TimeSpan.Zero, Deadline);
        Assert.True(Latency.Total >= Latency.Max);
    }

    [Fact]
    public async Task Watch_InvalidObject_IsSkippedWithAWarningAndTheWatchContinues()
    {
        await StartSourceAsync();
        await WatchingAsync(ApiKind.Services);

        Server.Add(Service("default", "bad", "not-an-ip"));
        Server.Add(Service("default", "good", "10.96.0.10"));

        await Until(() => Sink.Service("default", "good") is not null, "the valid service after the invalid one");
        Assert.Null(Sink.Service("default", "bad"));
        Assert.Equal(1, Logs.Count("services default/bad cannot be served and was skipped", "'not-an-ip' is not an IP address"));
        Assert.Equal(1, Informer("services").Watches);
        Assert.Empty(Sync.Problems);
    }

    /// <summary>
    /// The fake server, like the real watch cache, sends a bookmark 2 s before a watch's deadline when the
    /// timeout is longer than that; the stream then ends cleanly and the next watch starts from the bookmark.
    /// </summary>
    [Fact]
    public async Task Watch_BookmarkThenTimeout_NextWatchResumesFromTheBookmarkVersion()
    {
        await StartSourceAsync(options => options with { Informers = Fast with { WatchTimeout = TimeSpan.FromSeconds(3) } });
        Server.Add(Namespace("elsewhere")); // after the services list: the services watch sees this version only in the bookmark
        var bookmarked = Server.ResourceVersion;

        await WatchingAsync(ApiKind.Services, 2);

        var watches = WatchRequests(ApiKind.Services);
        Assert.Equal("3", watches[0].QueryValue("timeoutSeconds"));
        Assert.Equal(bookmarked, watches[1].QueryValue("resourceVersion"));
        Assert.Empty(Sink.Keys(ObjectKind.Service));
        Assert.Empty(Sync.Problems);
        Assert.Equal(1, Informer("services").Relists);
    }
}
