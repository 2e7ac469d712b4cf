using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace KubeDns.Testing.FakeApi;

/// <summary>
/// One open watch response. Changes are offered under the server's lock, filtered by the watch's namespace
/// and label selector, and queued as encoded lines; the request handler drains the queue into the response.
/// Queuing under the lock is what keeps a watch's backlog and its live events gap-free and in order.
/// </summary>
internal sealed class WatchConnection
{
    private readonly Channel<WatchFrame> _frames = Channel.CreateUnbounded<WatchFrame>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly HttpContext _context;

    public WatchConnection(KindInfo kind, string? ns, LabelSelector? selector, bool bookmarks, long startedAt, HttpContext context)
    {
        Kind = kind;
        Namespace = ns;
        Selector = selector;
        Bookmarks = bookmarks;
        StartedAt = startedAt;
        _context = context;
    }

    public KindInfo Kind { get; }

    public string? Namespace { get; }

    public LabelSelector? Selector { get; }

    /// <summary>The client asked for BOOKMARK events (<c>allowWatchBookmarks=true</c>).</summary>
    public bool Bookmarks { get; }

    /// <summary>The resourceVersion the watch started from (0 for "now, with the current objects as ADDED").</summary>
    public long StartedAt { get; }

    public ChannelReader<WatchFrame> Frames => _frames.Reader;

    public bool Matches(StoredObject item) =>
        (Namespace is null || Namespace == item.Namespace) && (Selector is null || Selector.Matches(item.Labels));

    /// <summary>
    /// Queues a change as this watch sees it: a change into the selector is ADDED, out of it DELETED
    /// (as the real server does for label-filtered watches).
    /// </summary>
    public void Offer(StoredEvent change)
    {
        var now = Matches(change.Object);
        var before = change.Previous is not null && Matches(change.Previous);
        var type = change.Type switch
        {
            EventTypes.Modified when before && now => EventTypes.Modified,
            EventTypes.Modified when now => EventTypes.Added,
            EventTypes.Modified when before => EventTypes.Deleted,
            EventTypes.Modified => null,
            _ when now => change.Type,
            _ => null,
        };
        if (type is not null)
        {
            _frames.Writer.TryWrite(WatchFrames.Event(Kind, type, change.Object));
        }
    }

    public void Offer(WatchFrame frame) => _frames.Writer.TryWrite(frame);

    /// <summary>Ends the response cleanly once the queued lines are written.</summary>
    public void End() => _frames.Writer.TryComplete();

    /// <summary>Drops the connection without a clean end of the chunked body.</summary>
    public void Abort() => _context.Abort();
}
