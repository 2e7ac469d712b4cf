using System.Net;

namespace KubeDns.Upstream;

/// <summary>
/// One upstream's health: after <see cref="FailuresToMarkDown"/> failures in a row (timeouts, refused
/// sends) it is skipped for <see cref="DownFor"/>, then tried again; one answer makes it healthy. Lock-free:
/// read and updated by concurrent queries.
/// </summary>
internal sealed class UpstreamHealth(IPEndPoint endPoint, TimeProvider time)
{
    public const int FailuresToMarkDown = 2;
    public static readonly TimeSpan DownFor = TimeSpan.FromSeconds(5);

    private int _failures;
    private long _downUntil;

    public IPEndPoint EndPoint { get; } = endPoint;

    public bool IsDown => Volatile.Read(ref _failures) >= FailuresToMarkDown && time.GetTimestamp() < Interlocked.Read(ref _downUntil);

    public void Succeeded() => Volatile.Write(ref _failures, 0);

    /// <summary>Records a failure; true when this one marked the upstream down.</summary>
    public bool Failed()
    {
        var failures = Interlocked.Increment(ref _failures);
        if (failures < FailuresToMarkDown)
        {
            return false;
        }

        var until = time.GetTimestamp() + (long)(DownFor.TotalSeconds * time.TimestampFrequency);
        Interlocked.Exchange(ref _downUntil, until);
        return failures == FailuresToMarkDown;
    }
}
