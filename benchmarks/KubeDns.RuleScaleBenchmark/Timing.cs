using System.Diagnostics;

namespace KubeDns.RuleScaleBenchmark;

internal static class Timing
{
    /// <summary>
    /// One warm-up call, then the median of five timed ones, and the last result; <paramref name="setUp"/> runs
    /// untimed before each call (a partial sync's writer must start from the full sync's state every time).
    /// </summary>
    public static (double Ms, T Result) Median<T>(Func<T> work, Action? setUp = null)
    {
        setUp?.Invoke();
        var result = work();
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            setUp?.Invoke();
            var clock = Stopwatch.StartNew();
            result = work();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return (times.Order().ElementAt(2), result);
    }
}
