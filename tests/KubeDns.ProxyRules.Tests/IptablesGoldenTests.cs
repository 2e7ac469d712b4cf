using System.Net;
using System.Net.Sockets;
using KubeDns.Cluster.Manifests;
using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Iptables;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeDns.ProxyRules.Tests;

/// <summary>
/// kube-proxy's own expected output (TestOverallIPTablesRules) for its test cluster, written as manifests,
/// compared after kube-proxy's sort normalisation; then partial syncs over the same cluster.
/// </summary>
public sealed class IptablesGoldenTests
{
    private static readonly RuleSettings Settings = new(AddressFamily.InterNetwork, "10.0.0.0/8", NodeName: "node1", NodeIPs: [IPAddress.Parse("192.168.0.2")]);

    [Fact]
    public void OverallRules_EqualKubeProxysExpectedOutput()
    {
        var expected = File.ReadAllText(Golden("overall.iptables"));

        var actual = new IptablesRules(Settings, randomFully: false).Generate(OverallPorts());

        Assert.Equal(IptablesDump.Normalise(expected), IptablesDump.Normalise(actual));
    }

    [Fact]
    public void PartialSync_WritesEveryTopLevelRule_ButOnlyTheChangedServicesOwnChains()
    {
        var writer = new IptablesRules(Settings);
        var full = writer.Write(OverallPorts(), null, new HashSet<string>());

        var partial = writer.Write(OverallPorts(), new HashSet<ObjectKey> { new("ns4", "svc4") }, full.Chains);

        var declared = partial.Text.Split('\n').Where(l => l.StartsWith(":KUBE-", StringComparison.Ordinal)).Select(l => l[1..l.IndexOf(' ', StringComparison.Ordinal)]).ToList();
        Assert.Equal(
            ["KUBE-EXT-4SW47YFZTEDKD3PK", "KUBE-SEP-C6EBXVWJJZMIWKLZ", "KUBE-SEP-UKSFD7AGPMPPLUHC", "KUBE-SVC-4SW47YFZTEDKD3PK"],
            declared.Where(c => !IsTopLevel(c)).Order(StringComparer.Ordinal));
        Assert.Equal(4, partial.RewrittenChains);
        Assert.Equal(full.Chains, partial.Chains);
        // Every service's KUBE-SERVICES rules are still there: the chain is flushed by its declaration.
        Assert.Contains("-d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O", partial.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("-A KUBE-SVC-XPGD46QRK7WJZT7O", partial.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialSync_DeletesTheChainsOfARemovedServiceAndEndpoint()
    {
        var writer = new IptablesRules(Settings);
        var full = writer.Write(OverallPorts(), null, new HashSet<string>());
        var withoutSvc1AndOneSvc4Endpoint = OverallPorts(
            services => services.Where(s => s.Name != "svc1"),
            slices => slices.Select(s => s.Name == "svc4-abcde" ? s with { Endpoints = new([s.Endpoints[0]]) } : s));

        var partial = writer.Write(withoutSvc1AndOneSvc4Endpoint, new HashSet<ObjectKey> { new("ns1", "svc1"), new("ns4", "svc4") }, full.Chains);

        string[] gone = ["KUBE-SVC-XPGD46QRK7WJZT7O", "KUBE-SEP-SXIVWICOYRO3J4NJ", "KUBE-SEP-C6EBXVWJJZMIWKLZ"];
        Assert.All(gone, chain =>
        {
            Assert.Contains($":{chain} - [0:0]\n", partial.Text, StringComparison.Ordinal);
            Assert.Contains($"-X {chain}\n", partial.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(chain, partial.Chains);
        });
        Assert.Equal(3, partial.DeletedChains);
        Assert.DoesNotContain("172.30.0.41", partial.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void FullThenPartialSync_LoadIntoIptablesInOrder()
    {
        var writer = new IptablesRules(Settings);
        var full = writer.Write(OverallPorts(), null, new HashSet<string>());
        var partial = writer.Write(OverallPorts(services => services.Where(s => s.Name != "svc1")), new HashSet<ObjectKey> { new("ns1", "svc1") }, full.Chains);

        using var node = new NetworkNamespace("golden");
        node.Load("iptables-restore", "--noflush", full.Text);
        node.Load("iptables-restore", "--noflush", partial.Text);

        var saved = node.Exec("iptables-save", "-t", "nat");
        Assert.DoesNotContain("KUBE-SVC-XPGD46QRK7WJZT7O", saved, StringComparison.Ordinal);
        Assert.Contains(":KUBE-SVC-4SW47YFZTEDKD3PK", saved, StringComparison.Ordinal);
        Assert.Contains("-A KUBE-SVC-4SW47YFZTEDKD3PK", saved, StringComparison.Ordinal);
    }

    internal static IReadOnlyList<ServicePort> OverallPorts(
        Func<IEnumerable<ServiceInfo>, IEnumerable<ServiceInfo>>? services = null,
        Func<IEnumerable<EndpointSliceInfo>, IEnumerable<EndpointSliceInfo>>? slices = null)
    {
        var state = ManifestState.Load([Golden("overall.yaml")], NullLogger.Instance);
        Assert.Empty(state.Errors);
        return ServicePort.All((services ?? (s => s))(state.Services), (slices ?? (s => s))(state.Slices), Settings);
    }

    private static bool IsTopLevel(string chain) =>
        chain is "KUBE-SERVICES" or "KUBE-NODEPORTS" or "KUBE-POSTROUTING" or "KUBE-MARK-MASQ" or "KUBE-EXTERNAL-SERVICES" or "KUBE-FORWARD" or "KUBE-PROXY-FIREWALL";

    private static string Golden(string name) => Path.Combine(Commands.RepositoryRoot(), "tests", "KubeDns.ProxyRules.Tests", "Golden", name);
}
