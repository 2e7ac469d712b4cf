namespace KubeDns.Cluster.Kubernetes;

/// <summary>How to reach the API server and what to read from it.</summary>
public sealed record ApiSourceOptions
{
    /// <summary>A kubeconfig file; null means the in-cluster service account.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The kubeconfig context; null means its current context.</summary>
    public string? Context { get; init; }

    public InformerFilter Filter { get; init; } = InformerFilter.None;

    /// <summary>Watch Pods too (needed by <c>--pods verified</c>).</summary>
    public bool WatchPods { get; init; }

    /// <summary>How long start-up waits for the first full list of every kind before serving anyway (CoreDNS: 5 s).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public InformerSettings Informers { get; init; } = new();
}
