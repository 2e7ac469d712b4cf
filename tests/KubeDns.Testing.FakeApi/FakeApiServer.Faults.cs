namespace KubeDns.Testing.FakeApi;

/// <summary>Faults a test injects, each the way a real API server (or the network in front of it) shows it.</summary>
public sealed partial class FakeApiServer
{
    /// <summary>
    /// Compacts the history at the current resourceVersion, as etcd compaction does: a later watch from an
    /// older resourceVersion gets one ERROR event (a Status with code 410, reason "Expired") and then a
    /// clean end of the response; continue tokens of earlier paged lists get HTTP 410. Open watches are
    /// untouched unless <paramref name="closeOpenWatches"/>, when each gets that ERROR event and ends.
    /// </summary>
    public void ExpireHistory(bool closeOpenWatches = false)
    {
        lock (_gate)
        {
            foreach (var store in _stores)
            {
                store.Floor = _resourceVersion;
                store.History.Clear();
                store.ForgetSnapshots();
                if (closeOpenWatches)
                {
                    foreach (var watch in store.Watches)
                    {
                        watch.Offer(WatchFrames.Error(StatusJson.TooOldResourceVersion(watch.StartedAt, store.Floor)));
                    }
                }
            }
        }
    }

    /// <summary>Cuts every open watch (of one kind, or all) off abruptly: no clean end of the chunked body.</summary>
    public void DropWatches(ApiKind? kind = null)
    {
        // Under the lock: a registered watch's handler has not returned, so its HttpContext is still its own
        // (Kestrel reuses contexts for later requests on the connection).
        lock (_gate)
        {
            foreach (var watch in _stores.Where(s => kind is null || s.Info.Kind == kind).SelectMany(s => s.Watches))
            {
                watch.Abort();
            }
        }
    }

    /// <summary>Writes one line that is not valid JSON into each open watch of a kind; the streams then go on.</summary>
    public void SendGarbage(ApiKind kind)
    {
        lock (_gate)
        {
            var store = Store(kind);
            foreach (var watch in store.Watches)
            {
                watch.Offer(WatchFrames.Garbage(store.Info));
            }
        }
    }

    /// <summary>Sends one line of <paramref name="bytes"/> bytes (no JSON) to the open watches of <paramref name="kind"/>.</summary>
    public void SendOversizedLine(ApiKind kind, int bytes)
    {
        lock (_gate)
        {
            foreach (var watch in Store(kind).Watches)
            {
                watch.Offer(WatchFrames.Oversized(bytes));
            }
        }
    }

    /// <summary>Sends a BOOKMARK at the current resourceVersion to open watches (of one kind, or all) that asked for bookmarks.</summary>
    public void SendBookmark(ApiKind? kind = null)
    {
        lock (_gate)
        {
            foreach (var store in _stores.Where(s => kind is null || s.Info.Kind == kind))
            {
                foreach (var watch in store.Watches.Where(w => w.Bookmarks))
                {
                    watch.Offer(WatchFrames.Bookmark(store.Info, _resourceVersion, initialEventsEnd: false));
                }
            }
        }
    }

    /// <summary>Sends bookmarks every interval from now on (null: only on <see cref="SendBookmark"/>).</summary>
    public void SetBookmarkInterval(TimeSpan? interval)
    {
        lock (_gate)
        {
            _bookmarkTimer?.Dispose();
            _bookmarkTimer = interval is { } every ? _time.CreateTimer(_ => SendBookmark(), null, every, every) : null;
        }
    }

    /// <summary>
    /// Answers a verb on a kind with 403 Forbidden and the real RBAC message, e.g. <c>services is forbidden:
    /// User "system:serviceaccount:kube-system:kubedns" cannot list resource "services" in API group "" at the cluster scope</c>.
    /// </summary>
    public void Forbid(ApiKind kind, ApiVerb verb)
    {
        lock (_gate)
        {
            Store(kind).Forbidden.Add(verb);
        }
    }

    /// <summary>Undoes <see cref="Forbid"/>.</summary>
    public void Permit(ApiKind kind, ApiVerb verb)
    {
        lock (_gate)
        {
            Store(kind).Forbidden.Remove(verb);
        }
    }

    /// <summary>
    /// Keeps watches of a kind (open and new) connected but writes nothing to them, not even bookmarks or
    /// the clean end at <c>timeoutSeconds</c>, until <see cref="Unsilence"/>; what was held back is then
    /// written in order. For watchdog tests: a stream that is silently stuck.
    /// </summary>
    public void Silence(ApiKind kind)
    {
        lock (_gate)
        {
            Store(kind).Silence();
        }
    }

    /// <summary>Lets silenced watches of a kind write again.</summary>
    public void Unsilence(ApiKind kind)
    {
        lock (_gate)
        {
            Store(kind).Unsilence();
        }
    }

    /// <summary>The next <paramref name="count"/> list requests of a kind get this HTTP status with a Status body.</summary>
    public void FailNextLists(ApiKind kind, int count, int statusCode = 500)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                Store(kind).ListFailures.Enqueue(statusCode);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> watch requests of a kind get this HTTP status with a Status body.</summary>
    public void FailNextWatches(ApiKind kind, int count, int statusCode = 500)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                Store(kind).WatchFailures.Enqueue(statusCode);
            }
        }
    }
}
