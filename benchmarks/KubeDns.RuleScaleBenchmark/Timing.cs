using System.Diagnostics;

namespace KubeDns.RuleScaleBenchmark;

internal static class Timing
{
    /// <summary>One warm-up call, then the median of five timed ones, and the last result.</summary>
    public static (double Ms, T Result) Median<T>(Func<T> work)
    {
        var result = work();
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            result = work();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return (times.Order().ElementAt(2), result);
    }
}
