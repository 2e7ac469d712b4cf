using BenchmarkDotNet.Attributes;
using KubeDns.Benchmarks.Support;
using KubeDns.Cluster.Model;
using KubeDns.Hosting;
using KubeDns.Zone;

namespace KubeDns.Benchmarks.Zone;

/// <summary>
/// The cost of keeping the zone current: one EndpointSlice change applied to a 10,000-service zone (it must
/// cost the size of the slice, not of the cluster), and building that zone from nothing (start-up, relist).
/// The full build is the same-run reference: the Ratio column is what a change costs against rebuilding
/// everything, the number that says whether updates are O(change) or O(cluster).
/// </summary>
[MemoryDiagnoser]
public class ZoneUpdateBenchmarks
{
    private readonly ServerOptions _options = new();
    private List<ClusterChange> _cluster = null!;
    private ZoneStore _store = null!;
    private ClusterChange[] _sliceVersions = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _cluster = SyntheticCluster.Changes();
        _store = SyntheticCluster.CreateStore(_options);
        _store.Apply(_cluster);

        // Two versions of default/web's slice: each operation swaps one endpoint, a real change every time.
        _sliceVersions =
        [
            ClusterChange.Upsert(SyntheticCluster.WebSlice(alternate: true)),
            ClusterChange.Upsert(SyntheticCluster.WebSlice(alternate: false)),
        ];
        _store.Apply([_sliceVersions[0]]);
        if (_store.LastBatchNamesTouched == 0)
        {
            throw new InvalidOperationException("the alternate slice changed no name: the benchmark would time a no-op");
        }
    }

    /// <summary>One watch event's worth of work: apply the change and publish a new snapshot.</summary>
    [Benchmark(Description = "Apply 1 slice change (10k zone)")]
    public int ApplySliceChange()
    {
        _next ^= 1;
        _store.Apply([_sliceVersions[_next]]);
        return _store.LastBatchNamesTouched;
    }

    [Benchmark(Baseline = true, Description = "Build 10k-service zone")]
    public int BuildZone()
    {
        var store = SyntheticCluster.CreateStore(_options);
        store.Apply(_cluster);
        return store.Current.NameCount;
    }
}
