using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace KubeDns.Benchmarks;

/// <summary>
/// The default job: one process, 3 warm-up and 5 measured iterations of ~250 ms. On the 2-core machines these
/// run on, the whole suite takes a few minutes instead of the ~20 of BenchmarkDotNet's default job, and the
/// resolver's figures are steady to a few percent (allocations, the main target, are exact either way).
/// Pass <c>--job default</c> (or any other job) for a full run.
/// </summary>
internal static class QuickConfig
{
    public static IConfig Create() =>
        DefaultConfig.Instance
            .AddJob(Job.Default.WithId("Quick").WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5)
                .WithIterationTime(TimeInterval.FromMilliseconds(250)))
            .AddDiagnoser(MemoryDiagnoser.Default);
}
