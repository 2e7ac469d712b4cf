namespace KubeDns.Tests.Support;

/// <summary>A clock the test moves by hand (timestamps only; enough for TTL and health arithmetic).</summary>
internal sealed class ManualTime : TimeProvider
{
    private long _ticks = 1_000_000;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
