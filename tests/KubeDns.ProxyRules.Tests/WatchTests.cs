using KubeDns.ProxyRules.Tests.Support;

namespace KubeDns.ProxyRules.Tests;

/// <summary><c>--watch</c>: a manifest change rewrites only that service's chains, and traffic follows.</summary>
public sealed class WatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public void ManifestChange_RewritesOnlyThatServicesChains_AndADeletedServicesChainsAreRemoved()
    {
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        using var watch = new WatchProcess(null, ProxyRulesProcess.NodeFlags("iptables", manifests.Path));
        var first = watch.NextProgram(Patience);

        manifests.Write(TrafficManifests.All(webHasB3Ready: true));
        var changed = watch.NextProgram(Patience);
        manifests.Write(TrafficManifests.All(webHasB3Ready: true).Replace("name: sticky,", "name: sticky2,", StringComparison.Ordinal));
        var deleted = watch.NextProgram(Patience);

        Assert.Contains("-A KUBE-SEP-", first, StringComparison.Ordinal);
        var rewritten = OwnChains(changed);
        Assert.NotEmpty(rewritten);
        Assert.All(rewritten, chain => Assert.All(
            changed.Split('\n').Where(l => l.StartsWith($"-A {chain} ", StringComparison.Ordinal)),
            rule => Assert.Matches(@"-A \S+ (-m comment --comment .*shop/web:|-j KUBE-SVC-)", rule)));
        Assert.Contains("--to-destination 10.0.3.2:8080", changed, StringComparison.Ordinal);
        Assert.DoesNotContain("shop/sticky:http ->", changed, StringComparison.Ordinal);
        Assert.Contains("shop/sticky:http cluster IP", changed, StringComparison.Ordinal); // KUBE-SERVICES is whole every time
        Assert.Matches(@"-X KUBE-SVC-\w+\n", deleted);
        Assert.Equal(4, deleted.Split('\n').Count(l => l.StartsWith("-X KUBE-", StringComparison.Ordinal))); // sticky: its SVC and 3 SEP chains
    }

    [Fact]
    public void WithApply_TrafficFollowsAnEndpointBecomingReady()
    {
        using var cluster = new RoutedCluster(backends: 3);
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        using var watch = new WatchProcess(cluster.Node, [.. ProxyRulesProcess.NodeFlags("iptables", manifests.Path), "--apply"]);
        watch.WaitForSyncs(1, Patience);
        Assert.DoesNotContain("b3", cluster.Connect("tcp", "10.96.0.10", 80, 20));

        manifests.Write(TrafficManifests.All(webHasB3Ready: true));
        watch.WaitForSyncs(2, Patience);

        Assert.Equal(["b1", "b2", "b3"], cluster.Connect("tcp", "10.96.0.10", 80, 40).Select(a => a.Split(' ')[0]).Distinct().Order());
        Assert.Contains("partial", watch.Log, StringComparison.Ordinal);
    }

    /// <summary>The per-service chains a program declares.</summary>
    private static List<string> OwnChains(string program) =>
        [.. program.Split('\n')
            .Where(l => l.StartsWith(":KUBE-SVC-", StringComparison.Ordinal) || l.StartsWith(":KUBE-SEP-", StringComparison.Ordinal) || l.StartsWith(":KUBE-EXT-", StringComparison.Ordinal))
            .Select(l => l[1..l.IndexOf(' ', StringComparison.Ordinal)])];
}
