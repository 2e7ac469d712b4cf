using KubeDns.Testing.FakeApi;
using k8s;

using KubeDns.Cluster.Kubernetes;

namespace KubeDns.Cluster.Tests.Kubernetes.FakeApi;

/// <summary>The bookmark the real watch cache sends shortly before a watch's timeoutSeconds, with the lead shortened to fit a test.</summary>
public sealed class FakeApiServerDeadlineTests : FakeApiServerFixture
{
    [Fact]
    public async Task Watch_QuietWithBookmarks_GetsABookmarkBeforeItsDeadlineAndEndsNormally()
    {
        var rv = Server.ResourceVersion;
        await using var watch = WatchServices(rv, bookmarks: true, timeoutSeconds: 1);

        var (type, bookmark) = await watch.NextEventAsync();
        Assert.Equal(WatchEventType.Bookmark, type);
        Assert.Equal(rv, bookmark.Metadata.ResourceVersion);
        var end = await watch.NextAsync();
        Assert.True(end.IsEnd);
        Assert.Null(end.Thrown);
    }

    private protected override FakeApiServerOptions Options() => new() { BookmarkBeforeDeadline = TimeSpan.FromMilliseconds(500) };
}
