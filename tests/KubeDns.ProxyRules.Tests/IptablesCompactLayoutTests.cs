using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Iptables;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Tests.Support;

namespace KubeDns.ProxyRules.Tests;

/// <summary>
/// The iptables layout for the nf_tables back end: no endpoint chains, DNAT in the service chain, one hairpin
/// rule whose BPF match is checked on the kernel, the <c>-S</c> line, and which back end <c>iptables</c> is.
/// Traffic through it is in <see cref="TrafficTests"/>.
/// </summary>
public sealed class IptablesCompactLayoutTests
{
    private const string Name = "ns1/svc1:p80";

    [Fact]
    public void TheServiceChain_DnatsItself_AndNoEndpointChainIsWritten()
    {
        var rules = Generate(Service(), Slice("10.244.0.9", "10.244.0.10"));
        var svc = ChainNames.Service(Name, "tcp");

        Assert.DoesNotContain("KUBE-SEP-", rules, StringComparison.Ordinal);
        Assert.Equal(
            [
                $"-A {svc} -m comment --comment \"{Name} -> 10.244.0.10:8080\" -m statistic --mode random --probability 0.5000000000 -m tcp -p tcp -j DNAT --to-destination 10.244.0.10:8080",
                $"-A {svc} -m comment --comment \"{Name} -> 10.244.0.9:8080\" -m tcp -p tcp -j DNAT --to-destination 10.244.0.9:8080",
            ],
            Rules(rules, svc));
        Assert.StartsWith("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic to the pod that sent it\" -m conntrack --ctstate DNAT -m bpf", Rules(rules, "KUBE-POSTROUTING")[0], StringComparison.Ordinal);
        Accepted(rules);
    }

    [Fact]
    public void ClientIPAffinity_ChecksAndRefreshesTheEndpointsList_InTheDnatRule()
    {
        var rules = Generate(Service() with { Routing = new ServiceRouting(600, default, default) }, Slice("10.244.0.9"));
        var svc = ChainNames.Service(Name, "tcp");
        var list = ChainNames.Endpoint(Name, "tcp", "10.244.0.9:8080");

        var chain = Rules(rules, svc);

        Assert.EndsWith($"-m recent --name {list} --rcheck --seconds 600 --reap -m recent --name {list} --set -m tcp -p tcp -j DNAT --to-destination 10.244.0.9:8080", chain[0], StringComparison.Ordinal);
        Assert.EndsWith($"-m recent --name {list} --set -m tcp -p tcp -j DNAT --to-destination 10.244.0.9:8080", chain[1], StringComparison.Ordinal);
        Accepted(rules);
    }

    [Fact]
    public void WholeTableCache_ListsEachTableFirst_AndIptablesNftRestoreLoadsIt()
    {
        var settings = new RuleSettings(AddressFamily.InterNetwork);
        var rules = new IptablesRules(settings, layout: IptablesLayout.Compact, wholeTableCache: true).Generate(ServicePort.All([Service()], [Slice("10.244.0.9")], settings));

        Assert.Contains("*filter\n-S\n", rules, StringComparison.Ordinal);
        Assert.Contains("*nat\n-S\n", rules, StringComparison.Ordinal);
        using var node = new NetworkNamespace("listfirst");
        node.Load("iptables-nft-restore", "--noflush", rules);
        node.Load("iptables-nft-restore", "--noflush", rules);
        Assert.Contains("-j DNAT --to-destination 10.244.0.9:8080", node.Exec("iptables-nft-save", "-t", "nat"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "127.0.0.1", "127.0.0.2")]
    [InlineData(true, "fd00::1", "fd00::2")]
    public void TheHairpinMatch_IsTrueExactlyWhenSourceEqualsDestination(bool ipv6, string self, string other)
    {
        using var node = new NetworkNamespace("hairpin");
        if (ipv6)
        {
            node.Exec("ip", "-6", "addr", "add", self + "/128", "dev", "lo", "nodad");
            node.Exec("ip", "-6", "addr", "add", other + "/128", "dev", "lo", "nodad");
        }

        var iptables = ipv6 ? "ip6tables" : "iptables";
        node.Exec(iptables, "-A", "OUTPUT", "-p", "udp", "--dport", "9", "-m", "bpf", "--bytecode", HairpinMatch.Bytecode(ipv6), "-j", "ACCEPT");

        Send(node, self, self);
        Send(node, self, other);
        Send(node, other, other);

        // Counters of the one rule: two datagrams matched (self to self, other to other), the one between them did not.
        var counted = node.Exec(iptables, "-L", "OUTPUT", "-v", "-x", "-n").Split('\n').Single(l => l.Contains("bpf", StringComparison.Ordinal));
        Assert.Equal("2", counted.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
    }

    [Theory]
    [InlineData("iptables v1.8.9 (nf_tables)", true)]
    [InlineData("iptables v1.8.9 (legacy)", false)]
    [InlineData("iptables v1.6.1", false)]
    public void TheBackEnd_IsReadFromTheVersionLine(string version, bool nfTables) =>
        Assert.Equal(nfTables, IptablesBackend.IsNfTablesVersion(version));

    [Fact]
    public void TheBackEnd_OfThisMachinesIptables_IsWhatItsVersionSays() =>
        Assert.Equal(Commands.Must("iptables", "--version").Contains("nf_tables", StringComparison.Ordinal), IptablesBackend.IsNfTables("iptables"));

    private static void Send(NetworkNamespace node, string from, string to) =>
        node.Exec("python3", "-c", $"import socket; s = socket.socket(socket.AF_INET6 if ':' in '{to}' else socket.AF_INET, socket.SOCK_DGRAM); s.bind(('{from}', 0)); s.sendto(b'x', ('{to}', 9))");

    private static void Accepted(string rules)
    {
        using var node = new NetworkNamespace("compact");
        node.Load("iptables-restore", "--test", rules);
    }

    private static string Generate(ServiceInfo service, EndpointSliceInfo slice)
    {
        var settings = new RuleSettings(AddressFamily.InterNetwork);
        return new IptablesRules(settings, layout: IptablesLayout.Compact).Generate(ServicePort.All([service], [slice], settings));
    }

    private static List<string> Rules(string rules, string chain) =>
        [.. rules.Split('\n').Where(line => line.StartsWith($"-A {chain} ", StringComparison.Ordinal))];

    private static ServiceInfo Service() => new(
        "ns1", "svc1", ServiceKind.ClusterIP, ImmutableArray.Create(IPAddress.Parse("10.96.0.5")), null,
        ImmutableArray.Create(new ServicePortInfo("p80", "TCP", 80, 0, 8080)), null, false);

    private static EndpointSliceInfo Slice(params string[] addresses) => new(
        "ns1", "svc1-a", "svc1", ImmutableArray.Create(new EndpointPortInfo("p80", "TCP", 8080)),
        addresses.Select(a => new EndpointInfo(ImmutableArray.Create(IPAddress.Parse(a)), true, true, false, null, null, null)).ToImmutableArray());
}
