using KubeDns.Testing.FakeApi;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeDns.Cluster.Kubernetes;

namespace KubeDns.Cluster.Tests.Kubernetes.FakeApi;

/// <summary>
/// Each injected fault, and exactly how the real KubernetesClient 21 reports it to a caller of
/// <c>Watch...Async</c> or <c>List...Async</c>; README.md in this folder sums these up.
/// </summary>
public sealed class FakeApiServerFaultTests : FakeApiServerFixture
{
    [Fact]
    public async Task ExpireHistory_WatchFromAnOlderVersion_Gets410InOnErrorThenTheStreamEndsNormally()
    {
        var rv = Server.Add(Service("default", "a"));
        Server.Add(Service("default", "b"));
        Server.ExpireHistory();

        await using var watch = WatchServices(rv);

        var error = await watch.NextAsync();
        var expired = Assert.IsType<ApiStatusException>(error.Error);
        Assert.Equal(410, expired.Status.Code);
        Assert.Equal("Expired", expired.Status.Reason);
        Assert.Equal($"too old resource version: {rv} ({Server.ResourceVersion})", expired.Status.Message);
        var end = await watch.NextAsync();
        Assert.True(end.IsEnd);
        Assert.Null(end.Thrown);
    }

    [Fact]
    public async Task ExpireHistory_WatchFromTheCurrentVersion_GoesOnNormally()
    {
        Server.Add(Service("default", "a"));
        Server.ExpireHistory();

        await using var watch = WatchServices(Server.ResourceVersion);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);
        Server.Add(Service("default", "b"));

        Assert.Equal("b", (await watch.NextEventAsync()).Object.Metadata.Name);
    }

    [Fact]
    public async Task ExpireHistory_CloseOpenWatches_Sends410ToWatchesAlreadyStreaming()
    {
        var rv = Server.ResourceVersion;
        await using var watch = WatchServices(rv);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);
        Server.Add(Service("default", "a"));
        Assert.Equal(WatchEventType.Added, (await watch.NextEventAsync()).Type);

        Server.ExpireHistory(closeOpenWatches: true);

        Assert.Equal(410, Assert.IsType<ApiStatusException>((await watch.NextAsync()).Error).Status.Code);
        Assert.Null((await watch.NextAsync()).Thrown);
    }

    [Fact]
    public async Task ExpireHistory_ContinueTokenFromBefore_Gets410()
    {
        Server.Add(Service("default", "a"));
        Server.Add(Service("default", "b"));
        var first = await Client.CoreV1.ListServiceForAllNamespacesAsync(limit: 1);
        Server.ExpireHistory();

        var thrown = await Assert.ThrowsAsync<HttpOperationException>(
            () => Client.CoreV1.ListServiceForAllNamespacesAsync(limit: 1, continueParameter: first.Metadata.ContinueProperty));

        Assert.Equal(HttpStatusCode.Gone, thrown.Response.StatusCode);
        Assert.Contains("\"reason\":\"Expired\"", thrown.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendGarbage_AfterTheFirstLine_GoesToOnErrorAndTheStreamContinues()
    {
        var rv = Server.ResourceVersion;
        await using var watch = WatchServices(rv);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);
        Server.Add(Service("default", "a"));
        Server.SendGarbage(ApiKind.Services);
        Server.Add(Service("default", "b"));

        Assert.Equal("a", (await watch.NextEventAsync()).Object.Metadata.Name);
        Assert.IsAssignableFrom<JsonException>((await watch.NextAsync()).Error);
        Assert.Equal("b", (await watch.NextEventAsync()).Object.Metadata.Name);
    }

    [Fact]
    public async Task SendGarbage_AsTheFirstLine_GoesToOnErrorAndTheStreamContinues()
    {
        await using var watch = WatchServices(Server.ResourceVersion);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);

        Server.SendGarbage(ApiKind.Services);
        Server.Add(Service("default", "a"));

        Assert.IsAssignableFrom<JsonException>((await watch.NextAsync()).Error);
        Assert.Equal("a", (await watch.NextEventAsync()).Object.Metadata.Name);
    }

    [Fact]
    public async Task DropWatches_MidStream_ThrowsIOExceptionFromTheStreamNotOnError()
    {
        await using var watch = WatchServices(Server.ResourceVersion);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);
        Server.Add(Service("default", "a"));
        Assert.Equal(WatchEventType.Added, (await watch.NextEventAsync()).Type);

        Server.DropWatches();

        var end = await watch.NextAsync();
        Assert.True(end.IsEnd);
        Assert.IsAssignableFrom<IOException>(end.Thrown);
        await Server.WaitForAsync(() => Server.OpenWatches(ApiKind.Services) == 0, "the dropped watch to close");
    }

    [Fact]
    public async Task DropWatches_BeforeTheFirstLine_ThrowsRatherThanEndingNormally()
    {
        await using var watch = WatchServices(Server.ResourceVersion);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);

        Server.DropWatches();

        // The server has flushed the headers, but the reset can reach the client before it has read them
        // (the kernel drops unread bytes on a reset): then HttpClient throws HttpRequestException, otherwise
        // the body's read throws IOException. Either is a failure the informer retries; a normal end (a server
        // timeout to it) would be the bug.
        var end = await watch.NextAsync();
        Assert.True(end.IsEnd);
        Assert.True(end.Thrown is IOException or HttpRequestException, $"expected a thrown IOException or HttpRequestException, got {end.Thrown?.GetType().Name ?? "a normal end"}");
    }

    [Fact]
    public async Task Forbid_List_ThrowsHttpOperationException403WithTheRbacMessage()
    {
        Server.Forbid(ApiKind.Services, ApiVerb.List);

        var thrown = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListServiceForAllNamespacesAsync());

        Assert.Equal(HttpStatusCode.Forbidden, thrown.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(thrown.Response.Content);
        Assert.Equal(
            "services is forbidden: User \"system:serviceaccount:kube-system:kubedns\" cannot list resource \"services\" in API group \"\" at the cluster scope",
            status.Message);
        Assert.Equal("Forbidden", status.Reason);

        Server.Permit(ApiKind.Services, ApiVerb.List);
        await Client.CoreV1.ListServiceForAllNamespacesAsync();
    }

    [Fact]
    public async Task Forbid_Watch_ThrowsHttpOperationException403FromTheStream()
    {
        Server.Forbid(ApiKind.EndpointSlices, ApiVerb.Watch);

        await using var watch = WatchRecorder<V1EndpointSlice>.Start((onError, ct) =>
            Watches.Of<V1EndpointSlice>(Api, "apis/discovery.k8s.io/v1/endpointslices", WatchStream.Query("1", null, null, bookmarks: false), onError, ct));

        var thrown = Assert.IsType<HttpOperationException>((await watch.NextAsync()).Thrown);
        Assert.Equal(HttpStatusCode.Forbidden, thrown.Response.StatusCode);
        Assert.Contains(
            "cannot watch resource \\u0022endpointslices\\u0022 in API group \\u0022discovery.k8s.io\\u0022 at the cluster scope",
            thrown.Response.Content,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailNextLists_FailsThatManyListsThenServes()
    {
        Server.FailNextLists(ApiKind.Namespaces, 2, 503);

        for (var i = 0; i < 2; i++)
        {
            var thrown = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListNamespaceAsync());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, thrown.Response.StatusCode);
        }

        await Client.CoreV1.ListNamespaceAsync();
        Assert.Equal(3, Server.ListRequests(ApiKind.Namespaces));
    }

    [Fact]
    public async Task FailNextWatches_ThrowsHttpOperationExceptionFromTheStream()
    {
        Server.FailNextWatches(ApiKind.Services, 1, 500);

        await using var watch = WatchServices(Server.ResourceVersion);

        var thrown = Assert.IsType<HttpOperationException>((await watch.NextAsync()).Thrown);
        Assert.Equal(HttpStatusCode.InternalServerError, thrown.Response.StatusCode);
    }

    [Fact]
    public async Task WrongToken_Gets401()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath);
        config.AccessToken = "stolen";
        using var client = new k8s.Kubernetes(config);

        var thrown = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListPodForAllNamespacesAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, thrown.Response.StatusCode);
    }

    [Fact]
    public async Task StopAsync_CutsWatchesAndRefusesConnections_StartAsyncComesBackOnTheSamePort()
    {
        var address = Server.BaseAddress;
        await using var watch = WatchServices(Server.ResourceVersion);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);
        Server.Add(Service("default", "a"));
        var rv = (await watch.NextEventAsync()).Object.Metadata.ResourceVersion;

        await Server.StopAsync();

        Assert.IsAssignableFrom<IOException>((await watch.NextAsync()).Thrown);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => Client.CoreV1.ListServiceForAllNamespacesAsync());
        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(refused.InnerException).SocketErrorCode);
        Server.Add(Service("default", "b"));

        await Server.StartAsync();

        Assert.Equal(address, Server.BaseAddress);
        Assert.Equal(2, (await Client.CoreV1.ListServiceForAllNamespacesAsync()).Items.Count);
        await using var resumed = WatchServices(rv);
        Assert.Equal("b", (await resumed.NextEventAsync()).Object.Metadata.Name);
    }

    [Fact]
    public async Task Silence_HoldsEveryLineUntilUnsilence()
    {
        await using var watch = WatchServices(Server.ResourceVersion);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);
        Server.Silence(ApiKind.Services);
        Server.Add(Service("default", "a"));
        Server.SendBookmark();

        // The one fixed wait: proving that nothing arrives needs a window.
        Assert.False(await watch.AnythingWithinAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(1, Server.OpenWatches(ApiKind.Services));

        Server.Unsilence(ApiKind.Services);
        Assert.Equal(WatchEventType.Added, (await watch.NextEventAsync()).Type);
        Assert.Equal(WatchEventType.Bookmark, (await watch.NextEventAsync()).Type);
    }
}
