namespace KubeDns.Cluster.Kubernetes;

/// <summary>Timing and paging of the list+watch loops; the defaults suit a production API server.</summary>
public sealed record InformerSettings
{
    /// <summary>
    /// Objects per list page (<c>limit</c>), so a relist holds one page of full objects at a time. 100, not
    /// client-go's 500: a page lives across many young collections while it is stripped, so its full objects
    /// reach the old generation and die there; at 150,000 pods the relist peak was 245 MiB with 500 and 192 MiB
    /// with 100 for the same 138 MiB after it (benchmarks/README.md, issue 14). The API server answers five
    /// times the requests for the same bytes, on a relist only.
    /// </summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The watch's <c>timeoutSeconds</c>: the server ends the stream after this, and we resume from the last version.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>
    /// A watch silent for this long (no event, no bookmark, no end) is presumed dead and restarted. Longer
    /// than <see cref="WatchTimeout"/>, since the server must have ended the stream by then.
    /// </summary>
    public TimeSpan Watchdog { get; init; } = TimeSpan.FromMinutes(4.5);

    /// <summary>First reconnect delay after a failure; doubles up to <see cref="MaxBackoff"/>, with jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
