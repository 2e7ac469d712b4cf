using KubeDns.Memory;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Memory;

public sealed class BurstMemoryReleaseTests
{
    private readonly ManualTime _time = new();
    private long _allocated;
    private int _released;
    private BurstMemoryRelease? _release;

    [Fact]
    public void Burst_IsReleasedOnce_AfterTheQuietPeriod()
    {
        var release = Create();
        Allocate(BurstMemoryRelease.BurstBytes); // a load
        Assert.Equal(0, _released);

        Tick(BurstMemoryRelease.QuietPeriod / 2, 0);
        Assert.Equal(0, _released);

        Tick(BurstMemoryRelease.QuietPeriod, 0);
        Tick(BurstMemoryRelease.QuietPeriod, 0);
        Assert.Equal(1, _released);
        Assert.Equal(1, release.Releases);
    }

    [Fact]
    public void SteadyAllocation_NoRelease_UntilItStops()
    {
        Create();
        for (var i = 0; i < 40; i++)
        {
            Tick(BurstMemoryRelease.CheckEvery, 8L << 20); // 32 MiB/s, for 10 s
        }

        Assert.Equal(0, _released);

        Tick(BurstMemoryRelease.QuietPeriod, 0);
        Tick(BurstMemoryRelease.CheckEvery, 0);
        Assert.Equal(1, _released);
    }

    [Fact]
    public void SmallAllocation_IsNoBurst_AndTrafficBelowTheQuietRate_IsQuiet()
    {
        Create();
        Allocate(BurstMemoryRelease.BurstBytes / 2);
        for (var i = 0; i < 40; i++)
        {
            Tick(BurstMemoryRelease.CheckEvery, BurstMemoryRelease.QuietBytesPerSecond / 8);
        }

        Assert.Equal(0, _released);

        Allocate(BurstMemoryRelease.BurstBytes / 2);
        for (var i = 0; i < 8; i++)
        {
            Tick(BurstMemoryRelease.CheckEvery, BurstMemoryRelease.QuietBytesPerSecond / 8);
        }

        Assert.Equal(1, _released);
    }

    private BurstMemoryRelease Create() => _release = new BurstMemoryRelease(_time, allocatedBytes: () => _allocated, release: () => _released++);

    private void Allocate(long bytes) => Tick(BurstMemoryRelease.CheckEvery, bytes);

    private void Tick(TimeSpan after, long allocated)
    {
        _time.Advance(after);
        _allocated += allocated;
        _release!.Check();
    }
}
