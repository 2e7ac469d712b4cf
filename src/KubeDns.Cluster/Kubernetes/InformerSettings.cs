namespace KubeDns.Cluster.Kubernetes;

/// <summary>Timing and paging of the list+watch loops; the defaults suit a production API server.</summary>
public sealed record InformerSettings
{
    /// <summary>
    /// Objects per list page (<c>limit</c>), client-go's 500. The page is read as it streams (<see cref="ListStream"/>),
    /// so its size sets the number of requests and the stripped changes held per batch, not how many full
    /// API objects are alive.
    /// </summary>
    public int PageSize { get; init; } = 500;

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
