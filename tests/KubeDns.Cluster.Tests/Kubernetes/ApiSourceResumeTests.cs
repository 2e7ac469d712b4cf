using KubeDns.Cluster.Kubernetes;
using KubeDns.Cluster.Model;
using KubeDns.Testing.FakeApi;
using static KubeDns.Cluster.Tests.Kubernetes.ApiObjects;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>A watch that ends (dropped, timed out, or fed a bad line) resumes from the last version seen: nothing lost, nothing replayed.</summary>
public sealed class ApiSourceResumeTests : ApiSourceFixture
{
    [Fact]
    public async Task DropWatches_ResumesFromTheLastVersionWithoutLosingOrReplayingEvents()
    {
        Server.Add(Service("default", "a", "10.96.0.10"));
        await StartSourceAsync();
        await WatchingAsync(ApiKind.Services);

        // Several versions of one object in one stream: a watch that resumed from an older version would
        // replay them, and the sink would see "c" come back and go again.
        Server.Update(Service("default", "a", "10.96.0.11"));
        Server.Add(Service("default", "c", "10.96.0.20"));
        Server.Update(Service("default", "c", "10.96.0.21"));
        var last = Server.Delete(ApiKind.Services, "default", "c");
        await Until(() => ChangesOf(ObjectKind.Service, "default", "c").Count == 3, "the events before the drop");

        Server.DropWatches(ApiKind.Services);
        await WatchingAsync(ApiKind.Services, 2);
        Server.Add(Service("default", "d", "10.96.0.30"));
        await Until(() => Sink.Service("default", "d") is not null, "an event after the drop");

        Assert.Equal(2, ChangesOf(ObjectKind.Service, "default", "a").Count);
        Assert.Equal([false, false, true], ChangesOf(ObjectKind.Service, "default", "c").Select(c => c.IsDelete));
        Assert.Single(ChangesOf(ObjectKind.Service, "default", "d"));
        Assert.Equal(1, Informer("services").Relists);
        Assert.Single(ListRequests(ApiKind.Services));
        Assert.Equal(last, WatchRequests(ApiKind.Services)[1].QueryValue("resourceVersion"));
    }

    [Fact]
    public async Task DropWatches_ChangesWhileReconnecting_AreNotLost()
    {
        await StartSourceAsync(options => options with { Informers = Fast with { InitialBackoff = TimeSpan.FromMilliseconds(300) } });
        await WatchingAsync(ApiKind.Services);
        Server.Add(Service("default", "a", "10.96.0.10"));
        await Until(() => Sink.Service("default", "a") is not null, "the first event");

        Server.DropWatches(ApiKind.Services);
        Server.Add(Service("default", "b", "10.96.0.11")); // most likely before the informer reconnects
        Server.Delete(ApiKind.Services, "default", "a");

        await Until(() => Sink.Service("default", "b") is not null && Sink.Service("default", "a") is null, "the changes made during the reconnect");
        Assert.Equal(2, ChangesOf(ObjectKind.Service, "default", "a").Count);
        Assert.Single(ChangesOf(ObjectKind.Service, "default", "b"));
        Assert.Equal(1, Informer("services").Relists);
    }

    [Fact]
    public async Task WatchTimeout_QuietStreamEnds_ResumesFromTheListVersionWithoutAProblem()
    {
        // timeoutSeconds=1 gets no bookmark before the deadline: the stream ends without a single line.
        await StartSourceAsync(options => options with { Informers = Fast with { WatchTimeout = TimeSpan.FromSeconds(1) } });
        var listed = Server.ResourceVersion;

        await WatchingAsync(ApiKind.Services, 3);

        Assert.All(WatchRequests(ApiKind.Services), watch => Assert.Equal(listed, watch.QueryValue("resourceVersion")));
        Assert.Empty(Sync.Problems);
        Assert.Empty(Logs.Warnings);
        Assert.Equal(1, Informer("services").Relists);
        Server.Add(Service("default", "a", "10.96.0.10"));
        await Until(() => Sink.Service("default", "a") is not null, "an event after several timeouts");
    }

    [Fact]
    public async Task SendGarbage_BadLineIsSkippedAndTheSameWatchContinues()
    {
        await StartSourceAsync();
        await WatchingAsync(ApiKind.Services);
        Server.Add(Service("default", "a", "10.96.0.10"));
        await Until(() => Sink.Service("default", "a") is not null, "the event before the bad line");

        Server.SendGarbage(ApiKind.Services);
        Server.Add(Service("default", "b", "10.96.0.11"));

        await Until(() => Sink.Service("default", "b") is not null, "the event after the bad line");
        Assert.Equal(1, Logs.Count("kubernetes/services: an event could not be read and was skipped"));
        Assert.Equal(1, Server.WatchesStarted(ApiKind.Services));
        Assert.Equal(1, Informer("services").Watches);
        Assert.Empty(Sync.Problems);
    }

    /// <summary>A bad first line is skipped like any other (KubernetesClient's watcher used to throw there and force a new watch).</summary>
    [Fact]
    public async Task SendGarbage_AsTheFirstLine_IsSkippedAndTheSameWatchContinues()
    {
        await StartSourceAsync();
        await WatchingAsync(ApiKind.Services);

        Server.SendGarbage(ApiKind.Services);
        Server.Add(Service("default", "a", "10.96.0.10"));

        await Until(() => Sink.Service("default", "a") is not null, "the event after the bad first line");
        Assert.Equal(1, Logs.Count("kubernetes/services: an event could not be read and was skipped"));
        Assert.Equal(1, Server.WatchesStarted(ApiKind.Services));
        Assert.Single(ChangesOf(ObjectKind.Service, "default", "a"));
    }

    /// <summary>A line longer than any object can be is dropped as it arrives (memory stays bounded) and the watch goes on.</summary>
    [Fact]
    public async Task AnOversizedLine_IsDroppedAndTheSameWatchContinues()
    {
        await StartSourceAsync();
        await WatchingAsync(ApiKind.Services);

        Server.SendOversizedLine(ApiKind.Services, WatchLines.MaxLineBytes + 1);
        Server.Add(Service("default", "a", "10.96.0.10"));

        await Until(() => Sink.Service("default", "a") is not null, "the event after the oversized line");
        Assert.Equal(1, Logs.Count("a watch event line of more than 16 MiB was dropped"));
        Assert.Equal(1, Server.WatchesStarted(ApiKind.Services));
    }
}
