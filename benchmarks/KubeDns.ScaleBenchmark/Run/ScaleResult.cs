using KubeDns.ScaleBenchmark.Measure;

namespace KubeDns.ScaleBenchmark.Run;

/// <summary>Everything one run measured, for the report.</summary>
internal sealed class ScaleResult
{
    public required string Cluster { get; init; }

    public required string FakeReady { get; init; }

    /// <summary>CoreDNS's published sizing for this cluster: (pods + services) / 1000 + 54 MB.</summary>
    public required double ReferenceMiB { get; init; }

    /// <summary>CoreDNS's sizing when it watches Pods too (its autopath formula): (pods + services) / 250 + 56 MB.</summary>
    public required double PodsWatchedReferenceMiB { get; init; }

    public double FirstAnswerMs { get; set; }

    public double ReadyMs { get; set; }

    public IReadOnlyDictionary<string, (double Ms, string Line)> Synced { get; set; } = new Dictionary<string, (double, string)>();

    public ProcMemory AtReady { get; set; }

    /// <summary>CPU the server used from its start to ready.</summary>
    public ProcCpu ServerCpuToReady { get; set; }

    /// <summary>CPU the fake API server used while the server synced (serving the lists).</summary>
    public ProcCpu FakeCpuToReady { get; set; }

    /// <summary>CPU the server used during the relist.</summary>
    public ProcCpu ServerCpuRelist { get; set; }

    /// <summary>Extra environment the server ran with (<c>--server-env</c>), for the report.</summary>
    public IReadOnlyList<string> ServerEnvironment { get; init; } = [];

    public ProcMemory AfterSync { get; set; }

    public HeapAfterGc? HeapAfterSync { get; set; }

    public ProcMemory AfterSyncGc { get; set; }

    public List<string> Checks { get; } = [];

    public ChangeTimes? SmallChange { get; set; }

    public ChangeTimes? BigChange { get; set; }

    public double RelistMs { get; set; }

    public bool PeakReset { get; set; }

    public (int[] Lists, int[] Watches) StatsBeforeRelist { get; set; }

    public (int[] Lists, int[] Watches) StatsAfterRelist { get; set; }

    public int RelistProbes { get; set; }

    public int RelistWrongAnswers { get; set; }

    public ProcMemory AfterRelist { get; set; }

    public HeapAfterGc? HeapAfterRelist { get; set; }

    public ProcMemory AfterRelistGc { get; set; }

    public HeapReport? Heap { get; set; }

    public double HeapAnalysisSeconds { get; set; }

    public double TotalSeconds { get; set; }

    /// <summary>/proc/loadavg at the start and at the end of the run: other work on the machine skews every time.</summary>
    public string LoadAtStart { get; init; } = string.Empty;

    public string LoadAtEnd { get; set; } = string.Empty;

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}

/// <summary>End-to-end times of one kind of EndpointSlice change (ms), and what the fake spent on its side.</summary>
internal sealed record ChangeTimes(string What, IReadOnlyList<double> Ms, IReadOnlyList<double> FakeUpdateMs)
{
    public double Median => Percentile(Ms, 0.5);

    public double P90 => Percentile(Ms, 0.9);

    public double Max => Ms.Max();

    public double Min => Ms.Min();

    public double FakeMedian => Percentile(FakeUpdateMs, 0.5);

    private static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
