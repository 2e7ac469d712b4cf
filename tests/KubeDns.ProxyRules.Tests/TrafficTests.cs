using KubeDns.ProxyRules.Tests.Support;

namespace KubeDns.ProxyRules.Tests;

/// <summary>
/// Real connections through the generated rules: the command line applies them (<c>--apply</c>) in the node
/// namespace of a <see cref="RoutedCluster"/>, and an outside client connects to cluster IPs and node ports.
/// Each test runs in iptables mode (automatic layout: compact on the nf_tables back end), in iptables mode with
/// kube-proxy's layout, and in nftables mode.
/// </summary>
public sealed class TrafficTests
{
    private const string KubeProxyLayout = "iptables --iptables-layout kube-proxy";

    private const int Attempts = 30;

    [Theory]
    [InlineData("iptables")]
    [InlineData(KubeProxyLayout)]
    [InlineData("nftables")]
    public void ClusterIP_SpreadsOverEveryReadyBackend_AndNeverANotReadyOne(string mode)
    {
        using var cluster = new RoutedCluster(backends: 3);
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        ProxyRulesProcess.Apply(cluster.Node, mode, manifests.Path);

        var tcp = Backends(cluster.Connect("tcp", "10.96.0.10", 80, Attempts));
        var udp = Backends(cluster.Connect("udp", "10.96.0.10", 53, Attempts));

        Assert.Equal(["b1", "b2"], tcp.Distinct().Order());
        Assert.Equal(["b1", "b2"], udp.Distinct().Order());
    }

    [Theory]
    [InlineData("iptables")]
    [InlineData(KubeProxyLayout)]
    [InlineData("nftables")]
    public void NodePort_OnTheNodeIP_ReachesTheBackends_Masqueraded(string mode)
    {
        using var cluster = new RoutedCluster(backends: 3);
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        ProxyRulesProcess.Apply(cluster.Node, mode, manifests.Path);

        var answers = cluster.Connect("tcp", RoutedCluster.NodeIP, 30080, Attempts);

        Assert.Equal(["b1", "b2"], Backends(answers).Distinct().Order());
        // externalTrafficPolicy Cluster: the backend sees the node (its address on the backend's link), not the client.
        Assert.All(answers, a => Assert.DoesNotContain(RoutedCluster.ClientIP, a, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("iptables")]
    [InlineData(KubeProxyLayout)]
    [InlineData("nftables")]
    public void ServiceWithoutEndpoints_IsRefusedAtOnce(string mode)
    {
        using var cluster = new RoutedCluster(backends: 1);
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        ProxyRulesProcess.Apply(cluster.Node, mode, manifests.Path);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var answers = cluster.Connect("tcp", "10.96.0.12", 80, 3);

        Assert.Equal(["refused", "refused", "refused"], answers);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"3 refusals took {clock.Elapsed} (a timeout is 2 s each)");
    }

    [Theory]
    [InlineData("iptables")]
    [InlineData(KubeProxyLayout)]
    [InlineData("nftables")]
    public void ClientIPAffinity_SticksToOneBackend(string mode)
    {
        using var cluster = new RoutedCluster(backends: 3);
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        ProxyRulesProcess.Apply(cluster.Node, mode, manifests.Path);

        var backends = Backends(cluster.Connect("tcp", "10.96.0.11", 80, Attempts));

        Assert.Equal(Attempts, backends.Count);
        Assert.Single(backends.Distinct());
    }

    [Theory]
    [InlineData("iptables")]
    [InlineData(KubeProxyLayout)]
    [InlineData("nftables")]
    public void ExternalTrafficPolicyLocal_KeepsTheClientsAddress_AndUsesLocalEndpointsOnly(string mode)
    {
        using var cluster = new RoutedCluster(backends: 2);
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        ProxyRulesProcess.Apply(cluster.Node, mode, manifests.Path);

        var answers = cluster.Connect("tcp", RoutedCluster.NodeIP, 30081, Attempts);

        Assert.All(answers, a => Assert.Equal($"b1 {RoutedCluster.ClientIP}", a));
    }

    [Theory]
    [InlineData("iptables")]
    [InlineData(KubeProxyLayout)]
    [InlineData("nftables")]
    public void APodReachingItselfThroughItsService_IsMasqueraded_SoItsOwnReplyComesBack(string mode)
    {
        using var cluster = new RoutedCluster(backends: 1);
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        ProxyRulesProcess.Apply(cluster.Node, mode, manifests.Path);

        var answers = cluster.ConnectFromBackend(1, "tcp", "10.96.0.14", 80, 3);

        // Without the masquerade b1 would see its own address as the source and answer itself: a timeout.
        Assert.All(answers, a => Assert.Equal("b1 10.0.1.1", a));
    }

    [Fact]
    public void TheCompactLayout_TakesOverFromKubeProxys_RemovingItsEndpointChains()
    {
        using var cluster = new RoutedCluster(backends: 3);
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        ProxyRulesProcess.Apply(cluster.Node, KubeProxyLayout, manifests.Path);
        Assert.Contains(":KUBE-SEP-", cluster.Node.Exec("iptables-save", "-t", "nat"), StringComparison.Ordinal);

        ProxyRulesProcess.Apply(cluster.Node, "iptables --iptables-layout compact", manifests.Path);

        Assert.DoesNotContain(":KUBE-SEP-", cluster.Node.Exec("iptables-save", "-t", "nat"), StringComparison.Ordinal);
        Assert.Equal(["b1", "b2"], Backends(cluster.Connect("tcp", "10.96.0.10", 80, Attempts)).Distinct().Order());
    }

    private static List<string> Backends(IEnumerable<string> answers) =>
        [.. answers.Select(a => a.Split(' ')[0])];
}
