using KubeDns.Cluster.Model;
using KubeDns.Testing.FakeApi;
using static KubeDns.Cluster.Tests.Kubernetes.ApiObjects;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>A stream that stays connected but says nothing (not even its end) is restarted by the watchdog, from the last version.</summary>
public sealed class ApiSourceWatchdogTests : ApiSourceFixture
{
    [Fact]
    public async Task Silence_WatchdogRestartsTheStreamFromTheLastVersionAndNothingIsLost()
    {
        // The server would end the stream after 60 s; the watchdog gives up on it after 1 s of silence.
        await StartSourceAsync(options => options with { Informers = Fast with { Watchdog = TimeSpan.FromSeconds(1) } });
        await WatchingAsync(ApiKind.Services);
        var seen = Server.Add(Service("default", "a", "10.96.0.10"));
        await Until(() => Sink.Service("default", "a") is not null, "the event before the silence");
        var started = Server.WatchesStarted(ApiKind.Services);

        Server.Silence(ApiKind.Services);
        Server.Add(Service("default", "b", "10.96.0.11")); // held back by the stuck stream

        await WatchingAsync(ApiKind.Services, started + 1);
        await Until(() => Logs.Count("kubernetes/services: the watch was silent for 00:00:01; restarting it") >= 1, "the watchdog's log line");
        var restarted = WatchRequests(ApiKind.Services).Skip(started).ToList();
        Assert.All(restarted, watch => Assert.Equal(seen, watch.QueryValue("resourceVersion")));
        Assert.Equal(1, Informer("services").Relists);
        Assert.DoesNotContain("kubernetes/services", Sync.Problems.Keys);

        Server.Unsilence(ApiKind.Services);

        await Until(() => Sink.Service("default", "b") is not null, "the held-back event after the restart");
        Assert.Single(ChangesOf(ObjectKind.Service, "default", "b"));
        Assert.Single(ChangesOf(ObjectKind.Service, "default", "a"));
    }
}
