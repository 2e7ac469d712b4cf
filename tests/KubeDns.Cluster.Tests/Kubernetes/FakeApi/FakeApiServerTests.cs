using KubeDns.Testing.FakeApi;
using k8s;
using k8s.Models;
using KubeDns.Cluster.Kubernetes;

namespace KubeDns.Cluster.Tests.Kubernetes.FakeApi;

/// <summary>The wire protocol, checked with the real KubernetesClient: paged lists, watches, bookmarks, timeouts, URLs.</summary>
public sealed class FakeApiServerTests : FakeApiServerFixture
{
    [Fact]
    public async Task List_WithLimit_ReturnsEverythingAcrossPagesFromOneSnapshot()
    {
        for (var i = 0; i < 25; i++)
        {
            Server.Add(Service("ns" + (i % 3), $"svc-{i:D2}"));
        }

        var first = await Client.CoreV1.ListServiceForAllNamespacesAsync(limit: 10);
        Assert.Equal(10, first.Items.Count);
        Assert.Equal(15, first.Metadata.RemainingItemCount);
        Assert.False(string.IsNullOrEmpty(first.Metadata.ContinueProperty));

        // Changes between pages do not show: every page is read from the first page's snapshot.
        Server.Add(Service("ns0", "svc-late"));
        Server.Delete(Service("ns2", "svc-23"));

        var names = first.Items.Select(s => s.Metadata.Name).ToList();
        var token = first.Metadata.ContinueProperty;
        var pages = 1;
        while (token is not null)
        {
            var page = await Client.CoreV1.ListServiceForAllNamespacesAsync(limit: 10, continueParameter: token);
            Assert.Equal(first.Metadata.ResourceVersion, page.Metadata.ResourceVersion);
            names.AddRange(page.Items.Select(s => s.Metadata.Name));
            token = string.IsNullOrEmpty(page.Metadata.ContinueProperty) ? null : page.Metadata.ContinueProperty;
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"svc-{i:D2}").Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.Equal(3, Server.ListRequests(ApiKind.Services));
        Assert.Equal("10", Server.Requests[^1].QueryValue("limit"));
        Assert.NotNull(Server.Requests[^1].QueryValue("continue"));

        // A fresh list sees the changes and the newer resourceVersion.
        var now = await Client.CoreV1.ListServiceForAllNamespacesAsync();
        Assert.Equal(25, now.Items.Count);
        Assert.Null(now.Metadata.ContinueProperty);
        Assert.Equal(Server.ResourceVersion, now.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task List_LabelSelector_ReturnsOnlyMatchingObjectsAcrossPages()
    {
        for (var i = 0; i < 6; i++)
        {
            Server.Add(Service("default", $"svc-{i}", labels: new Dictionary<string, string> { ["app"] = i % 2 == 0 ? "web" : "db", ["tier"] = "x" }));
        }

        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await Client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: "app=web,tier=x", limit: 2, continueParameter: token);
            names.AddRange(page.Items.Select(s => s.Metadata.Name));
            token = string.IsNullOrEmpty(page.Metadata.ContinueProperty) ? null : page.Metadata.ContinueProperty;
        }
        while (token is not null);

        Assert.Equal(["svc-0", "svc-2", "svc-4"], names);
        var notDb = await Client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: "app!=db");
        Assert.Equal(3, notDb.Items.Count);
    }

    [Fact]
    public async Task List_ItemsAndObjects_CarryServerMetadata()
    {
        var rv = Server.Add(Service("", "no-namespace"));
        Server.Add(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });

        var service = (await Client.CoreV1.ListServiceForAllNamespacesAsync()).Items.Single();
        Assert.Equal("default", service.Metadata.NamespaceProperty);
        Assert.Equal(rv, service.Metadata.ResourceVersion);
        Assert.False(string.IsNullOrEmpty(service.Metadata.Uid));
        Assert.NotNull(service.Metadata.CreationTimestamp);

        var single = await Client.CoreV1.ReadNamespacedServiceAsync("no-namespace", "default");
        Assert.Equal("Service", single.Kind);
        Assert.Equal(service.Metadata.Uid, single.Metadata.Uid);
        Assert.Equal("team-a", (await Client.CoreV1.ReadNamespaceAsync("team-a")).Metadata.Name);
    }

    [Fact]
    public async Task Watch_FromListResourceVersion_SeesLaterAddModifyDeleteInOrder()
    {
        Server.Add(Service("default", "before"));
        var list = await Client.CoreV1.ListServiceForAllNamespacesAsync();

        // Two changes land before the watch starts (replayed from history), two after (live).
        Server.Add(Service("default", "web"));
        Server.Update(Service("default", "web", clusterIp: "10.96.0.20"));
        await using var watch = WatchServices(list.Metadata.ResourceVersion);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);
        Server.Delete(Service("default", "web"));
        Server.Add(Service("other", "db"));

        var seen = new List<(WatchEventType, string, string, string)>();
        for (var i = 0; i < 4; i++)
        {
            var (type, service) = await watch.NextEventAsync();
            seen.Add((type, service.Metadata.Name, service.Spec.ClusterIP, service.Metadata.ResourceVersion));
        }

        var rv = long.Parse(list.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [
                (WatchEventType.Added, "web", "10.96.0.10", (rv + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                (WatchEventType.Modified, "web", "10.96.0.20", (rv + 2).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                (WatchEventType.Deleted, "web", "10.96.0.20", (rv + 3).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                (WatchEventType.Added, "db", "10.96.0.10", (rv + 4).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            seen);

        var request = Server.Requests.Last(r => r.Verb == ApiVerb.Watch);
        Assert.Equal("/api/v1/services", request.Path);
        Assert.Equal("true", request.QueryValue("watch"));
        Assert.Equal("true", request.QueryValue("allowWatchBookmarks"));
        Assert.Equal(list.Metadata.ResourceVersion, request.QueryValue("resourceVersion"));
        Assert.Equal(1, Server.OpenWatches(ApiKind.Services));
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithTheCurrentObjectsAsAdded()
    {
        Server.Add(Service("default", "a"));
        Server.Add(Service("default", "b"));

        await using var watch = WatchServices(resourceVersion: null);

        Assert.Equal((WatchEventType.Added, "a"), Named(await watch.NextEventAsync()));
        Assert.Equal((WatchEventType.Added, "b"), Named(await watch.NextEventAsync()));
    }

    [Fact]
    public async Task Watch_LabelSelector_TurnsRelabellingIntoAddedAndDeleted()
    {
        var web = new Dictionary<string, string> { ["app"] = "web" };
        var rv = Server.ResourceVersion;
        Server.Add(Service("default", "a"));
        Server.Update(Service("default", "a", labels: web));
        Server.Update(Service("default", "a", clusterIp: "10.96.0.99", labels: web));
        Server.Update(Service("default", "a"));

        await using var watch = WatchServices(rv, labelSelector: "app=web");

        Assert.Equal((WatchEventType.Added, "a"), Named(await watch.NextEventAsync()));
        Assert.Equal((WatchEventType.Modified, "a"), Named(await watch.NextEventAsync()));
        Assert.Equal((WatchEventType.Deleted, "a"), Named(await watch.NextEventAsync()));
    }

    [Fact]
    public async Task SendBookmark_ArrivesAsBookmarkEventWithOnlyTheResourceVersion()
    {
        var rv = Server.Add(Service("default", "a"));
        await using var watch = WatchServices(rv);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);

        Server.SendBookmark();

        var (type, bookmark) = await watch.NextEventAsync();
        Assert.Equal(WatchEventType.Bookmark, type);
        Assert.Equal(rv, bookmark.Metadata.ResourceVersion);
        Assert.Null(bookmark.Metadata.Name);
        Assert.Null(bookmark.Spec);
    }

    [Fact]
    public async Task SendBookmark_WatchThatDidNotAskForBookmarks_GetsNone()
    {
        var rv = Server.ResourceVersion;
        await using var watch = WatchServices(rv, bookmarks: false);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);

        Server.SendBookmark();
        Server.Add(Service("default", "a"));

        Assert.Equal((WatchEventType.Added, "a"), Named(await watch.NextEventAsync()));
    }

    [Fact]
    public async Task SetBookmarkInterval_SendsBookmarksPeriodically()
    {
        await using var watch = WatchServices(Server.ResourceVersion);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);

        Server.SetBookmarkInterval(TimeSpan.FromMilliseconds(100));

        Assert.Equal(WatchEventType.Bookmark, (await watch.NextEventAsync()).Type);
        Assert.Equal(WatchEventType.Bookmark, (await watch.NextEventAsync()).Type);
        Server.SetBookmarkInterval(null);
    }

    [Fact]
    public async Task SendInitialEvents_EndsTheInitialAddedEventsWithAnAnnotatedBookmark()
    {
        Server.Add(new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" } });
        await using var watch = WatchRecorder<V1Pod>.Start((onError, ct) => Watches.Of<V1Pod>(
            Api, "api/v1/pods", WatchStream.Query(null, null, null) + "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan", onError, ct));

        Assert.Equal(WatchEventType.Added, (await watch.NextEventAsync()).Type);
        var (type, bookmark) = await watch.NextEventAsync();
        Assert.Equal(WatchEventType.Bookmark, type);
        Assert.Equal("true", bookmark.Metadata.Annotations["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStreamNormally()
    {
        var rv = Server.ResourceVersion;
        await using var watch = WatchServices(rv, timeoutSeconds: 1);
        await Server.WaitForWatchesStartedAsync(ApiKind.Services, 1);
        Server.Add(Service("default", "a"));

        Assert.Equal((WatchEventType.Added, "a"), Named(await watch.NextEventAsync()));
        var end = await watch.NextAsync();
        Assert.True(end.IsEnd);
        Assert.Null(end.Thrown);
    }

    /// <summary>A watch that reaches its timeout with no line at all is an ordinary end of the stream.</summary>
    [Fact]
    public async Task Watch_QuietUntilItsTimeout_EndsTheStream()
    {
        await using var watch = WatchServices(Server.ResourceVersion, bookmarks: false, timeoutSeconds: 1);

        var end = await watch.NextAsync();

        Assert.True(end.IsEnd);
        Assert.Null(end.Thrown);
    }

    [Fact]
    public async Task Requests_FourKinds_UseTheRealPathsAndQueries()
    {
        var rv = Server.ResourceVersion;
        await Client.CoreV1.ListServiceForAllNamespacesAsync(limit: 500);
        await Client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(limit: 500);
        await Client.CoreV1.ListNamespaceAsync(limit: 500);
        await Client.CoreV1.ListPodForAllNamespacesAsync(limit: 500);

        // A line per watch so each stream yields: sliced, namespaced and pod events plus a bookmark.
        Server.Add(new V1EndpointSlice { Metadata = new V1ObjectMeta { Name = "web-abc", NamespaceProperty = "default" }, AddressType = "IPv4", Endpoints = [] });
        Server.Add(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        Server.Add(new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" } });
        Server.Add(Service("default", "web"));
        await using var services = WatchServices(rv, timeoutSeconds: 1);
        await using var slices = WatchRecorder<V1EndpointSlice>.Start((e, ct) => Watches.Of<V1EndpointSlice>(Api, "apis/discovery.k8s.io/v1/endpointslices", WatchStream.Query(rv, null, 1), e, ct));
        await using var namespaces = WatchRecorder<V1Namespace>.Start((e, ct) => Watches.Of<V1Namespace>(Api, "api/v1/namespaces", WatchStream.Query(rv, null, 1), e, ct));
        await using var pods = WatchRecorder<V1Pod>.Start((e, ct) => Watches.Of<V1Pod>(Api, "api/v1/pods", WatchStream.Query(rv, null, 1), e, ct));

        Assert.Equal("web", (await services.NextEventAsync()).Object.Metadata.Name);
        Assert.Equal("web-abc", (await slices.NextEventAsync()).Object.Metadata.Name);
        Assert.Equal("team-a", (await namespaces.NextEventAsync()).Object.Metadata.Name);
        Assert.Equal("p", (await pods.NextEventAsync()).Object.Metadata.Name);

        var seen = Server.Requests.Select(r => r.PathAndQuery).ToList();
        Assert.Contains("/api/v1/services?limit=500&watch=false", seen);
        Assert.Contains("/apis/discovery.k8s.io/v1/endpointslices?limit=500&watch=false", seen);
        Assert.Contains("/api/v1/namespaces?limit=500&watch=false", seen);
        Assert.Contains("/api/v1/pods?limit=500&watch=false", seen);
        foreach (var path in new[] { "/api/v1/services", "/apis/discovery.k8s.io/v1/endpointslices", "/api/v1/namespaces", "/api/v1/pods" })
        {
            Assert.Contains($"{path}?allowWatchBookmarks=true&resourceVersion={rv}&timeoutSeconds=1&watch=true", seen);
        }

        Assert.All(Server.Requests, r => Assert.Equal("Bearer fake-token", r.Authorization));
        foreach (var kind in Enum.GetValues<ApiKind>())
        {
            Assert.Equal(1, Server.ListRequests(kind));
            Assert.Equal(1, Server.WatchRequests(kind));
        }
    }

    private static (WatchEventType, string) Named((WatchEventType Type, V1Service Object) e) => (e.Type, e.Object.Metadata.Name);
}
