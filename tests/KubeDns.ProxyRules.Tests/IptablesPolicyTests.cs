using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Iptables;
using KubeDns.ProxyRules.Model;

namespace KubeDns.ProxyRules.Tests;

/// <summary>
/// The Local traffic policies and source ranges, against the rule text of kube-proxy's TestExternalTrafficPolicyLocal,
/// TestInternalTrafficPolicy and TestLoadBalancer (pkg/proxy/iptables/proxier_test.go).
/// </summary>
public sealed class IptablesPolicyTests
{
    private const string Ext = "KUBE-EXT-XPGD46QRK7WJZT7O";
    private const string Svc = "KUBE-SVC-XPGD46QRK7WJZT7O";
    private const string Svl = "KUBE-SVL-XPGD46QRK7WJZT7O";

    [Fact]
    public void ExternalPolicyLocal_ShortCircuitsPodAndNodeTraffic_AndSendsTheRestToLocalEndpointsOnly()
    {
        var service = NodePort(new ServiceRouting(0, default, default, ExternalPolicyLocal: true));

        var rules = Generate(service, ("10.180.0.1", "node2"), ("10.180.2.1", "node1"));

        Assert.Equal(
            [$"-A {Ext} -m comment --comment \"pod traffic for ns1/svc1:p80 external destinations\" -s 10.0.0.0/8 -j {Svc}",
             $"-A {Ext} -m comment --comment \"masquerade LOCAL traffic for ns1/svc1:p80 external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ",
             $"-A {Ext} -m comment --comment \"route LOCAL traffic for ns1/svc1:p80 external destinations\" -m addrtype --src-type LOCAL -j {Svc}",
             $"-A {Ext} -j {Svl}"],
            Rules(rules, Ext));
        Assert.Equal([$"-A {Svl} -m comment --comment \"ns1/svc1:p80 -> 10.180.2.1:80\" -j KUBE-SEP-ZX7GRIZKSNUQ3LAJ"], Rules(rules, Svl));
        Assert.Equal(3, Rules(rules, Svc).Count); // masquerade + both endpoints: pods still use every endpoint
    }

    [Fact]
    public void ExternalPolicyLocal_WithoutLocalEndpoints_DropsExternalTraffic_ButServesTheClusterIP()
    {
        var service = NodePort(new ServiceRouting(0, default, default, ExternalPolicyLocal: true));

        var rules = Generate(service, ("10.180.0.1", "node2"));

        Assert.Contains("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns1/svc1:p80 has no local endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP", rules, StringComparison.Ordinal);
        Assert.DoesNotContain($"-j {Svl}", rules, StringComparison.Ordinal);
        Assert.Contains($"--dport 80 -j {Svc}", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void InternalPolicyLocal_SendsTheClusterIPToLocalEndpoints_OrDropsWithoutThem()
    {
        var service = ClusterIP(new ServiceRouting(0, default, default, InternalPolicyLocal: true));

        var rules = Generate(service, ("10.180.0.1", "node2"), ("10.180.2.1", "node1"));
        var dropped = Generate(service, ("10.180.0.1", "node2"));

        Assert.Contains($"-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j {Svl}", rules, StringComparison.Ordinal);
        Assert.Equal(
            [$"-A {Svl} -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ",
             $"-A {Svl} -m comment --comment \"ns1/svc1:p80 -> 10.180.2.1:80\" -j KUBE-SEP-ZX7GRIZKSNUQ3LAJ"],
            Rules(rules, Svl));
        Assert.DoesNotContain(Svc, rules, StringComparison.Ordinal);
        Assert.DoesNotContain("10.180.0.1", rules, StringComparison.Ordinal);
        Assert.Contains("-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 has no local endpoints\" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j DROP", dropped, StringComparison.Ordinal);
        Assert.DoesNotContain("*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n:KUBE-", dropped, StringComparison.Ordinal);
    }

    [Fact]
    public void SourceRanges_LetOnlyThoseSourcesAndTheNodesOwnLoadBalancerTrafficThrough()
    {
        var routing = new ServiceRouting(0, default, ImmutableArray.Create(IPAddress.Parse("1.2.3.4"), IPAddress.Parse("5.6.7.8")), ImmutableArray.Create("192.168.0.0/24", "203.0.113.0/25"));
        var fw = "KUBE-FW-XPGD46QRK7WJZT7O";

        var rules = Generate(NodePort(routing) with { Kind = ServiceKind.LoadBalancer }, ("10.180.0.1", "node1"));

        Assert.Contains($"-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 loadbalancer IP\" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j {fw}", rules, StringComparison.Ordinal);
        Assert.Equal(
            [$"-A {fw} -m comment --comment \"ns1/svc1:p80 loadbalancer IP\" -s 192.168.0.0/24 -j {Ext}",
             $"-A {fw} -m comment --comment \"ns1/svc1:p80 loadbalancer IP\" -s 203.0.113.0/25 -j {Ext}",
             $"-A {fw} -m comment --comment \"ns1/svc1:p80 loadbalancer IP\" -s 1.2.3.4 -j {Ext}",
             $"-A {fw} -m comment --comment \"ns1/svc1:p80 loadbalancer IP\" -s 5.6.7.8 -j {Ext}",
             $"-A {fw} -m comment --comment \"other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL\""],
            Rules(rules, fw));
        Assert.Contains($"-A KUBE-PROXY-FIREWALL -m comment --comment \"ns1/svc1:p80 traffic not accepted by {fw}\" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void IPv6_UsesBracketedEndpointsAndTheIPv6NodePortExclusion()
    {
        var service = ClusterIP(null) with { ClusterIPs = ImmutableArray.Create(IPAddress.Parse("172.30.0.41"), IPAddress.Parse("fd00:172:30::41")) };
        var slice = Slice([("fd00:10:180::1", "node1")]);
        var settings = new RuleSettings(AddressFamily.InterNetworkV6, "fd00:10::/64", NodeName: "node1");

        var rules = new IptablesRules(settings).Generate(ServicePort.All([service], [slice], settings));

        Assert.Contains("-d fd00:172:30::41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O", rules, StringComparison.Ordinal);
        Assert.Contains($"-j DNAT --to-destination [fd00:10:180::1]:80", rules, StringComparison.Ordinal);
        Assert.Contains("-m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("172.30.0.41", rules, StringComparison.Ordinal);
    }

    private static ServiceInfo ClusterIP(ServiceRouting? routing) => new(
        "ns1", "svc1", ServiceKind.ClusterIP, ImmutableArray.Create(IPAddress.Parse("172.30.0.41")), null,
        ImmutableArray.Create(new ServicePortInfo("p80", "TCP", 80, 0, 80)), null, false, routing);

    private static ServiceInfo NodePort(ServiceRouting routing) =>
        ClusterIP(routing) with { Kind = ServiceKind.NodePort, Ports = ImmutableArray.Create(new ServicePortInfo("p80", "TCP", 80, 3001, 80)) };

    private static EndpointSliceInfo Slice((string Address, string Node)[] endpoints) => new(
        "ns1", "svc1-a", "svc1", ImmutableArray.Create(new EndpointPortInfo("p80", "TCP", 80)),
        endpoints.Select(e => new EndpointInfo(ImmutableArray.Create(IPAddress.Parse(e.Address)), true, true, false, null, e.Node, null)).ToImmutableArray());

    private static string Generate(ServiceInfo service, params (string Address, string Node)[] endpoints)
    {
        var settings = new RuleSettings(AddressFamily.InterNetwork, "10.0.0.0/8", NodeName: "node1", NodeIPs: [IPAddress.Parse("192.168.0.2")]);
        return new IptablesRules(settings).Generate(ServicePort.All([service], [Slice(endpoints)], settings));
    }

    private static List<string> Rules(string rules, string chain) =>
        [.. rules.Split('\n').Where(line => line.StartsWith($"-A {chain} ", StringComparison.Ordinal))];
}
