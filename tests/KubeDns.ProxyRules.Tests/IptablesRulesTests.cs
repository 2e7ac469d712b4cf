using System.Collections.Immutable;
using KubeDns.ProxyRules.Tests.Support;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using KubeDns.Cluster.Manifests;
using KubeDns.Cluster.Model;
using KubeDns.ProxyRules;
using KubeDns.ProxyRules.Iptables;
using KubeDns.ProxyRules.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeDns.ProxyRules.Tests;

/// <summary>
/// The iptables-restore input against kube-proxy's conventions (../shared/reference/kube-proxy.md): chain-name
/// check values, endpoint choice and order, probabilities, jump invariants, and iptables-restore --test.
/// </summary>
public sealed partial class IptablesRulesTests
{
    [Theory]
    [InlineData("ns1/svc1:p80tcp", "XPGD46QRK7WJZT7O")]
    [InlineData("ns1/svc1:p80tcp10.180.0.1:80", "SXIVWICOYRO3J4NJ")]
    [InlineData("kube-system/kube-dns:dnsudp", "TCOU7JCQXEZGVUNU")]
    public void ChainHash_MatchesKubeProxysCheckValues(string input, string expected) =>
        Assert.Equal(expected, ChainNames.Hash(input));

    [Fact]
    public void ThreeEndpoints_SortedAsStrings_WithProbabilitiesOneOverRemaining()
    {
        var rules = Generate(Service("10.96.0.5", 80), Slice(("10.244.0.9", true), ("10.244.0.10", true), ("10.244.0.11", true)));
        var svc = ChainNames.Service("ns1/svc1:p80", "tcp");

        var picks = Rules(rules, svc).Where(r => r.Contains(" -> ", StringComparison.Ordinal)).ToList();

        Assert.Equal(3, picks.Count);
        Assert.Contains("ns1/svc1:p80 -> 10.244.0.10:8080\" -m statistic --mode random --probability 0.3333333333 -j", picks[0], StringComparison.Ordinal);
        Assert.Contains("ns1/svc1:p80 -> 10.244.0.11:8080\" -m statistic --mode random --probability 0.5000000000 -j", picks[1], StringComparison.Ordinal);
        Assert.EndsWith($"ns1/svc1:p80 -> 10.244.0.9:8080\" -j {ChainNames.Endpoint("ns1/svc1:p80", "tcp", "10.244.0.9:8080")}", picks[2], StringComparison.Ordinal);
    }

    [Fact]
    public void AnEndpointWithSeveralAddresses_CountsOnlyItsFirst_AsInKubeProxy()
    {
        var slice = Slice(("10.244.0.9", true));
        slice = slice with { Endpoints = new(ImmutableArray.Create(slice.Endpoints[0] with { Addresses = new(ImmutableArray.Create(IPAddress.Parse("10.244.0.9"), IPAddress.Parse("10.244.0.99"))) })) };

        var rules = Generate(Service("10.96.0.5", 80), slice);

        Assert.Contains("-j DNAT --to-destination 10.244.0.9:8080", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("10.244.0.99", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoint_IsDnatWithHairpinMasquerade()
    {
        var rules = Generate(Service("10.96.0.5", 80), Slice(("10.244.0.9", true)));
        var sep = ChainNames.Endpoint("ns1/svc1:p80", "tcp", "10.244.0.9:8080");

        Assert.Equal(
            [$"-A {sep} -m comment --comment ns1/svc1:p80 -s 10.244.0.9 -j KUBE-MARK-MASQ",
             $"-A {sep} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.244.0.9:8080"],
            Rules(rules, sep));
    }

    [Fact]
    public void NoReadyEndpoint_FallsBackToServingTerminating_AndNoneAtAllIsRejected()
    {
        var terminating = new EndpointInfo(ImmutableArray.Create(IPAddress.Parse("10.244.0.7")), false, true, true, null, null, null);
        var notReady = new EndpointInfo(ImmutableArray.Create(IPAddress.Parse("10.244.0.8")), false, false, false, null, null, null);
        var slice = new EndpointSliceInfo("ns1", "svc1-a", "svc1", ImmutableArray.Create(new EndpointPortInfo("p80", "TCP", 8080)), ImmutableArray.Create(terminating, notReady));

        var rules = Generate(Service("10.96.0.5", 80), slice);
        var rejected = Generate(Service("10.96.0.5", 80), new EndpointSliceInfo("ns1", "svc1-a", "svc1", ImmutableArray.Create(new EndpointPortInfo("p80", "TCP", 8080)), ImmutableArray.Create(notReady)));

        Assert.Contains("--to-destination 10.244.0.7:8080", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("10.244.0.8", rules, StringComparison.Ordinal);
        Assert.Contains("-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 has no endpoints\" -m tcp -p tcp -d 10.96.0.5 --dport 80 -j REJECT", rejected, StringComparison.Ordinal);
        Assert.DoesNotContain("KUBE-SVC-", rejected, StringComparison.Ordinal);
    }

    [Fact]
    public void NodePort_GoesThroughTheExtChainToTheServiceChain()
    {
        var service = Service("10.96.0.5", 80) with { Kind = ServiceKind.NodePort, Ports = ImmutableArray.Create(new ServicePortInfo("p80", "TCP", 80, 30080, 8080)) };
        var rules = Generate(service, Slice(("10.244.0.9", true)));
        var ext = ChainNames.External("ns1/svc1:p80", "tcp");

        Assert.Contains($"-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 30080 -j {ext}", rules, StringComparison.Ordinal);
        Assert.Equal([$"-A {ext} -m comment --comment \"masquerade traffic for ns1/svc1:p80 external destinations\" -j KUBE-MARK-MASQ", $"-A {ext} -j {ChainNames.Service("ns1/svc1:p80", "tcp")}"], Rules(rules, ext));
    }

    [Fact]
    public void ClientIPAffinity_ChecksTheRememberedEndpointFirst_AndRemembersOnDnat()
    {
        var service = Service("10.96.0.5", 80) with { Routing = new ServiceRouting(600, default, default) };
        var rules = Generate(service, Slice(("10.244.0.9", true), ("10.244.0.10", true)));
        var svc = ChainNames.Service("ns1/svc1:p80", "tcp");
        var sep = ChainNames.Endpoint("ns1/svc1:p80", "tcp", "10.244.0.9:8080");

        var first = ChainNames.Endpoint("ns1/svc1:p80", "tcp", "10.244.0.10:8080"); // "10.244.0.10" sorts before "10.244.0.9"

        var chain = Rules(rules, svc);
        Assert.Contains($"-m recent --name {first} --rcheck --seconds 600 --reap -j {first}", chain[0], StringComparison.Ordinal);
        Assert.Contains($"-m recent --name {sep} --rcheck --seconds 600 --reap -j {sep}", chain[1], StringComparison.Ordinal);
        Assert.Contains("--probability 0.5000000000", chain[2], StringComparison.Ordinal);
        Assert.Contains($"-m recent --name {sep} --set -m tcp -p tcp -j DNAT --to-destination 10.244.0.9:8080", Rules(rules, sep)[1], StringComparison.Ordinal);
        AcceptedByIptablesRestore(rules);
    }

    [Fact]
    public void ExternalAndLoadBalancerIPs_GoThroughTheExtChain_OrAreRejectedWithoutEndpoints()
    {
        var routing = new ServiceRouting(0, ImmutableArray.Create(IPAddress.Parse("192.0.2.7")), ImmutableArray.Create(IPAddress.Parse("198.51.100.7")));
        var service = Service("10.96.0.5", 80) with { Kind = ServiceKind.LoadBalancer, Routing = routing };
        var ext = ChainNames.External("ns1/svc1:p80", "tcp");

        var rules = Generate(service, Slice(("10.244.0.9", true)));
        var rejected = Generate(service, Slice(("10.244.0.9", false)));

        Assert.Contains($"-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 external IP\" -m tcp -p tcp -d 192.0.2.7 --dport 80 -j {ext}", rules, StringComparison.Ordinal);
        Assert.Contains($"-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 loadbalancer IP\" -m tcp -p tcp -d 198.51.100.7 --dport 80 -j {ext}", rules, StringComparison.Ordinal);
        Assert.Contains("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns1/svc1:p80 has no endpoints\" -m tcp -p tcp -d 198.51.100.7 --dport 80 -j REJECT", rejected, StringComparison.Ordinal);
        AcceptedByIptablesRestore(rules);
        AcceptedByIptablesRestore(rejected);
    }

    [Fact]
    public void DemoManifests_KeepTheJumpInvariants()
    {
        var rules = DemoRules();

        foreach (var table in rules.Split("COMMIT\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var declared = DeclaredChain().Matches(table).Select(m => m.Groups[1].Value).ToHashSet();
            var withRules = RuleChain().Matches(table).Select(m => m.Groups[1].Value).ToHashSet();
            var targets = JumpTarget().Matches(table).Select(m => m.Groups[1].Value).Where(t => t.StartsWith("KUBE-", StringComparison.Ordinal)).ToHashSet();
            // Top-level chains (KUBE-NODEPORTS with no node port, say) may be empty; the per-service ones may not.
            string[] topLevel = ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-PROXY-FIREWALL"];
            Assert.All(targets, t => Assert.True(declared.Contains(t) && (withRules.Contains(t) || topLevel.Contains(t)), $"jump to {t}: not declared or empty"));
            Assert.All(declared.Where(c => c.StartsWith("KUBE-SVC-", StringComparison.Ordinal) || c.StartsWith("KUBE-SEP-", StringComparison.Ordinal) || c.StartsWith("KUBE-EXT-", StringComparison.Ordinal)),
                c => Assert.True(targets.Contains(c), $"{c} is declared but nothing jumps to it"));
        }
    }

    [Fact]
    public void DemoManifests_AreAcceptedByIptablesRestore() => AcceptedByIptablesRestore(DemoRules());

    /// <summary>iptables-restore --test in a network namespace of the test's own: parsed and checked, nothing applied.</summary>
    private static void AcceptedByIptablesRestore(string rules)
    {
        var ns = $"kdns-rules-{Environment.ProcessId}-{Random.Shared.Next(100000)}";
        Commands.Run("ip", "netns", "add", ns);
        try
        {
            var (code, output) = Commands.Run("ip", ["netns", "exec", ns, "iptables-restore", "--test"], rules);
            Assert.True(code == 0, $"iptables-restore --test rejected the rules: {output}\n{rules}");
        }
        finally
        {
            Commands.Run("ip", "netns", "del", ns);
        }
    }

    private static string DemoRules()
    {
        var state = ManifestState.Load([Path.Combine(RepositoryRoot(), "manifests", "demo")], NullLogger.Instance);
        var settings = new RuleSettings(AddressFamily.InterNetwork, "10.244.0.0/16");
        return new IptablesRules(settings).Generate(ServicePort.All(state.Services, state.Slices, settings));
    }

    private static string Generate(ServiceInfo service, EndpointSliceInfo slice)
    {
        var settings = new RuleSettings(AddressFamily.InterNetwork);
        return new IptablesRules(settings).Generate(ServicePort.All([service], [slice], settings));
    }

    private static List<string> Rules(string rules, string chain) =>
        [.. rules.Split('\n').Where(line => line.StartsWith($"-A {chain} ", StringComparison.Ordinal))];

    private static ServiceInfo Service(string clusterIP, int port) => new(
        "ns1", "svc1", ServiceKind.ClusterIP, ImmutableArray.Create(IPAddress.Parse(clusterIP)), null,
        ImmutableArray.Create(new ServicePortInfo("p80", "TCP", port, 0, 8080)), null, false);

    private static EndpointSliceInfo Slice(params (string Address, bool Ready)[] endpoints) => new(
        "ns1", "svc1-a", "svc1", ImmutableArray.Create(new EndpointPortInfo("p80", "TCP", 8080)),
        endpoints.Select(e => new EndpointInfo(ImmutableArray.Create(IPAddress.Parse(e.Address)), e.Ready, e.Ready, false, null, null, null)).ToImmutableArray());

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeDns.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("KubeDns.sln not found");
    }

    [GeneratedRegex(@"^:(\S+) ", RegexOptions.Multiline)]
    private static partial Regex DeclaredChain();

    [GeneratedRegex(@"^-A (\S+) ", RegexOptions.Multiline)]
    private static partial Regex RuleChain();

    [GeneratedRegex(@" -j (\S+)")]
    private static partial Regex JumpTarget();
}
