using KubeDns.Memory;
using KubeDns.Tests.Support;
using static KubeDns.Tests.Support.TestCluster;

namespace KubeDns.Tests.Memory;

public sealed class BurstMemoryReleaseTests
{
    private readonly TestCluster _cluster = new();
    private readonly ManualTime _time = new();
    private int _released;

    [Fact]
    public void Burst_IsReleasedOnce_AfterTheQuietPeriod()
    {
        var release = new BurstMemoryRelease(_cluster.Zone, _time, () => _released++);
        ApplyServices(BurstMemoryRelease.BurstChanges);

        release.Check(); // sees the burst
        _time.Advance(BurstMemoryRelease.QuietPeriod / 2);
        release.Check();
        Assert.Equal(0, _released);

        _time.Advance(BurstMemoryRelease.QuietPeriod);
        release.Check();
        release.Check();
        Assert.Equal(1, _released);
        Assert.Equal(1, release.Releases);
    }

    [Fact]
    public void ChangesKeepComing_NoRelease_UntilTheyStop()
    {
        var release = new BurstMemoryRelease(_cluster.Zone, _time, () => _released++);
        for (var second = 0; second < 10; second++)
        {
            ApplyServices(BurstMemoryRelease.BurstChanges / 5, offset: second * 10_000);
            release.Check();
            _time.Advance(BurstMemoryRelease.QuietPeriod * 0.9);
        }

        release.Check();
        Assert.Equal(0, _released);

        _time.Advance(BurstMemoryRelease.QuietPeriod);
        release.Check();
        Assert.Equal(1, _released);
    }

    [Fact]
    public void FewChanges_AreNoBurst()
    {
        var release = new BurstMemoryRelease(_cluster.Zone, _time, () => _released++);
        ApplyServices(BurstMemoryRelease.BurstChanges - 1);

        release.Check();
        _time.Advance(BurstMemoryRelease.QuietPeriod * 10);
        release.Check();

        Assert.Equal(0, _released);
    }

    private void ApplyServices(int count, int offset = 0)
    {
        var services = new object[count];
        for (var i = 0; i < count; i++)
        {
            var n = offset + i;
            services[i] = Service("default", $"svc-{n}", [$"10.96.{(n / 250) % 250}.{(n % 250) + 1}"], Port("http", 80));
        }

        _cluster.Apply(services);
    }
}
