using KubeDns.Testing.FakeApi;
using System.Diagnostics;
using k8s;
using k8s.Models;
using KubeDns.Cluster.Kubernetes;

namespace KubeDns.Cluster.Tests.Kubernetes.FakeApi;

/// <summary>What cancelling a KubernetesClient watch does to its connection, seen from the server.</summary>
public sealed class FakeApiServerCancelTests : FakeApiServerFixture
{
    /// <summary>
    /// SocketsHttpHandler drains an unfinished response for up to its ResponseDrainTimeout (2 s) before it
    /// closes the connection, so the server keeps the cancelled watch that long.
    /// </summary>
    [Fact]
    public async Task Cancel_AfterTheFirstLine_ClosesTheConnectionAboutTwoSecondsLater()
    {
        using var cancel = new CancellationTokenSource();
        var first = new TaskCompletionSource();
        var watching = Consume(Watches.Of<V1Service>(Api, "api/v1/services", WatchStream.Query(Server.ResourceVersion, null, null, bookmarks: false), null, cancel.Token), first);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);
        Server.Add(Service("default", "a"));
        await first.Task.WaitAsync(TimeSpan.FromSeconds(2));

        await cancel.CancelAsync();
        await Assert.ThrowsAsync<TaskCanceledException>(() => watching);
        var clock = Stopwatch.StartNew();
        await Server.WaitForAsync(() => Server.OpenWatches(ApiKind.Services) == 0, "the server to see the watch close", TimeSpan.FromSeconds(4));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
    }

    private static async Task Consume(IAsyncEnumerable<(WatchEventType, V1Service)> stream, TaskCompletionSource first)
    {
        await foreach (var _ in stream)
        {
            first.TrySetResult();
        }
    }
}
