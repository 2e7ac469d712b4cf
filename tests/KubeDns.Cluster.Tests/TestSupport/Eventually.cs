using System.Diagnostics;

namespace KubeDns.Cluster.Tests.TestSupport;

/// <summary>Polls a condition until a deadline instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task<TimeSpan> True(Func<bool> condition, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > within)
            {
                Assert.Fail($"{what} did not happen within {within.TotalMilliseconds} ms");
            }

            await Task.Delay(10);
        }

        return clock.Elapsed;
    }
}
