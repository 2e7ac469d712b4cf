using System.Globalization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace KubeDns.Testing.FakeApi;

/// <summary>
/// Watch: a chunked 200 response of newline-delimited JSON events, one flush per event. Honours
/// <c>resourceVersion</c> (history after it, then live; absent or "0": the current objects as ADDED first),
/// <c>allowWatchBookmarks</c> (on demand, every <see cref="FakeApiServerOptions.BookmarkInterval"/>, and
/// 2 s before the deadline as the real watch cache does), <c>sendInitialEvents</c> (a bookmark annotated k8s.io/initial-events-end
/// after the initial ADDED events), <c>timeoutSeconds</c> (a clean end), <c>labelSelector</c> and the
/// namespace of a namespaced path.
/// </summary>
public sealed partial class FakeApiServer
{
    private async Task WatchAsync(HttpContext context, ApiRequest api)
    {
        var query = context.Request.Query;
        LabelSelector? selector;
        try
        {
            selector = LabelSelector.Parse(query["labelSelector"]);
        }
        catch (FormatException e)
        {
            await WriteJsonAsync(context, 400, StatusJson.BadRequest(e.Message));
            return;
        }

        string rvText = query["resourceVersion"].ToString();
        long from = 0;
        if (rvText.Length > 0 && !long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            await WriteJsonAsync(context, 400, StatusJson.BadRequest($"resourceVersion: Invalid value: \"{rvText}\": must be a number"));
            return;
        }

        // Headers first, as the real server does once the watch is set up: from the moment the watch
        // counts as started, the client is past its HTTP request and waiting for the first line.
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        try
        {
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionAbortedException)
        {
            return;
        }

        var bookmarks = ApiRequest.IsTrue(query["allowWatchBookmarks"]);
        var watch = new WatchConnection(api.Kind, api.Namespace, selector, bookmarks, from, context);
        var store = Store(api.Kind.Kind);
        bool stopping;
        lock (_gate)
        {
            // Backlog and registration under one lock: no change can fall between them.
            stopping = _app is null;
            store.Watches.Add(watch);
            store.WatchesStarted++;
            if (from == 0)
            {
                foreach (var item in store.Objects)
                {
                    watch.Offer(new StoredEvent(EventTypes.Added, item.ResourceVersion, item, Previous: null));
                }

                if (bookmarks && ApiRequest.IsTrue(query["sendInitialEvents"]))
                {
                    watch.Offer(WatchFrames.Bookmark(api.Kind, _resourceVersion, initialEventsEnd: true));
                }
            }
            else if (from < store.Floor)
            {
                watch.Offer(WatchFrames.Error(StatusJson.TooOldResourceVersion(from, store.Floor)));
            }
            else
            {
                for (var i = store.FirstEventAfter(from); i < store.History.Count; i++)
                {
                    watch.Offer(store.History[i]);
                }
            }
        }

        Pulse();
        if (stopping)
        {
            // StopAsync already cut the open watches off; this one slipped in while it did.
            watch.Abort();
        }

        try
        {
            await StreamAsync(context, watch, store, query["timeoutSeconds"]);
        }
        finally
        {
            lock (_gate)
            {
                store.Watches.Remove(watch);
            }

            watch.End();
            Pulse();
        }
    }

    private async Task StreamAsync(HttpContext context, WatchConnection watch, KindStore store, string? timeoutSeconds)
    {
        var aborted = context.RequestAborted;
        var seconds = int.TryParse(timeoutSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 0;
        using var timeout = seconds > 0
            ? _time.CreateTimer(_ => watch.End(), null, TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan)
            : null;

        // The real watch cache sends a bookmark 2 s before a watch's deadline, so a quiet stream that
        // asked for bookmarks still gets a line before its clean end.
        var lead = _options.BookmarkBeforeDeadline;
        using var lastBookmark = watch.Bookmarks && lead is { } before && TimeSpan.FromSeconds(seconds) > before
            ? _time.CreateTimer(_ => SendBookmark(watch), null, TimeSpan.FromSeconds(seconds) - before, Timeout.InfiniteTimeSpan)
            : null;
        try
        {
            var body = context.Response.Body;
            await foreach (var frame in watch.Frames.ReadAllAsync(aborted))
            {
                await AudibleAsync(store, aborted);
                await body.WriteAsync(frame.Bytes, aborted);
                await body.FlushAsync(aborted);
                if (frame.EndsStream)
                {
                    return;
                }
            }

            // A silenced stream does not even end cleanly at its timeout.
            await AudibleAsync(store, aborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionAbortedException)
        {
            // The client went away, or DropWatches/StopAsync aborted the connection.
        }
    }

    private void SendBookmark(WatchConnection watch)
    {
        lock (_gate)
        {
            watch.Offer(WatchFrames.Bookmark(watch.Kind, _resourceVersion, initialEventsEnd: false));
        }
    }

    private Task AudibleAsync(KindStore store, CancellationToken aborted)
    {
        lock (_gate)
        {
            return store.WhenAudible.WaitAsync(aborted);
        }
    }
}
