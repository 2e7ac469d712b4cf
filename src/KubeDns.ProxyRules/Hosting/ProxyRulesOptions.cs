using System.Net;

namespace KubeDns.ProxyRules.Hosting;

internal enum RuleMode
{
    Iptables,
    Nftables,
}

/// <summary>The rule generator's command line, parsed and checked.</summary>
internal sealed record ProxyRulesOptions
{
    public IReadOnlyList<string> Manifests { get; init; } = [];

    /// <summary>Read the cluster from the API: a kubeconfig file, or the in-cluster service account when empty.</summary>
    public bool UseApi { get; init; }

    public string? Kubeconfig { get; init; }

    public string? KubeContext { get; init; }

    public RuleMode Mode { get; init; } = RuleMode.Iptables;

    /// <summary>The iptables layout; null is automatic: compact when applying to a kernel that takes its bpf match.</summary>
    public Iptables.IptablesLayout? IptablesLayout { get; init; }

    /// <summary>IPv4, IPv6 or both (one rule set each).</summary>
    public IReadOnlyList<System.Net.Sockets.AddressFamily> Families { get; init; } = [System.Net.Sockets.AddressFamily.InterNetwork];

    public IReadOnlyList<string> ClusterCidrs { get; init; } = [];

    public IReadOnlyList<IPAddress> NodeIPs { get; init; } = [];

    public string? NodeName { get; init; }

    public bool MasqueradeAll { get; init; }

    public bool Apply { get; init; }

    public bool Watch { get; init; }

    public TimeSpan MinSyncGap { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan FullSyncPeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long the API source waits for the first full list of every kind before a one-shot run gives up: a
    /// 10,000-service cluster's EndpointSlices alone take seconds to list, and rules from a half-listed cluster
    /// would be wrong, so longer than the DNS server's 5 s (which serves what it has meanwhile).
    /// </summary>
    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
