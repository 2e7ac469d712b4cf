using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using KubeDns.Cluster.Manifests;
using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Nftables;
using KubeDns.ProxyRules.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeDns.ProxyRules.Tests;

/// <summary>
/// The nft program against kube-proxy's nftables mode: name check values, its expected output for the
/// TestOverallNFTablesRules cluster (Golden/overall.nft), partial syncs, and <c>nft</c> itself in a network
/// namespace of the test's own.
/// </summary>
public sealed class NftablesRulesTests
{
    private static readonly RuleSettings Settings = new(AddressFamily.InterNetwork, "10.0.0.0/8", NodeName: "node1", NodeIPs: [IPAddress.Parse("192.168.0.2")]);

    private const string LongNs = "very-long-namespace-name-abcdefghijklmnopqrstuvwxyz0123456789xx";
    private const string LongSvc = "very-long-service-name-why-would-you-even-do-this-i-mean-really";
    private const string LongPort = "port-443-providing-the-hypertext-transmission-protocol-with-tls";

    [Theory]
    [InlineData("ns1", "svc1", "tcp", "p80", "ULMVA6XW-ns1/svc1/tcp/p80")]
    [InlineData("ns5", "svc5", "tcp", "p80", "HVFWP5L3-ns5/svc5/tcp/p80")]
    [InlineData("testing", "service", "tcp", "http", "P4ZYZVCF-testing/service/tcp/http")]
    [InlineData("testing", "service", "tcp", "https", "LZBRENCP-testing/service/tcp/https")]
    [InlineData(LongNs, LongSvc, "sctp", LongPort, "KR6NACJP-" + LongNs + "/" + LongSvc + "/sctp/" + LongPort)]
    public void ServiceBase_MatchesKubeProxysCheckValues(string ns, string name, string protocol, string port, string expected) =>
        Assert.Equal(expected, NftNames.ServiceBase(ns, name, protocol, port));

    [Theory]
    [InlineData("ns1", "svc1", "tcp", "p80", "10.180.0.1", 80, "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80")]
    [InlineData("ns5", "svc5", "tcp", "p80", "10.180.0.3", 80, "GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80")]
    [InlineData("ns1", "svc1", "tcp", "p80", "fd00:10:180::1", 80, "ZVRFLKHO-ns1/svc1/tcp/p80__fd00.10.180..1/80")]
    [InlineData("testing", "service", "tcp", "http", "10.180.0.1", 80, "JO2XBXZR-testing/service/tcp/http__10.180.0.1/80")]
    [InlineData("testing", "service", "tcp", "http", "10.180.0.2", 80, "5S6H3H22-testing/service/tcp/http__10.180.0.2/80")]
    [InlineData(LongNs, LongSvc, "sctp", LongPort, "1234:5678:9abc:def0::abc:1234", 443,
        "5YS7AFEA-" + LongNs + "/" + LongSvc + "/sctp/" + LongPort + "__1234.5678.9abc.def0..abc.1234/443")]
    [InlineData(LongNs, LongSvc, "sctp", LongPort, "1234:5678:9abc:def0::abcd:1234:5678", 443,
        "CI6C53Q3-" + LongNs + "/" + LongSvc + "/sctp/" + LongPort + "__1234.5678.9abc.def0..abcd.1234...")]
    [InlineData(LongNs, LongSvc, "sctp", LongPort, "1234:5678:9abc:def0::abcd:1234:8765", 443,
        "2FLXFK6X-" + LongNs + "/" + LongSvc + "/sctp/" + LongPort + "__1234.5678.9abc.def0..abcd.1234...")]
    public void EndpointBase_MatchesKubeProxysCheckValues_AndIsTruncatedTo240(string ns, string name, string protocol, string port, string address, int endpointPort, string expected)
    {
        // kube-proxy's test passes the address text as is; "…def0::abcd…" compresses a single zero group, which
        // neither Go nor .NET would print, so the text is not round-tripped through IPAddress here.
        var actual = NftNames.EndpointBase(ns, name, protocol, port, address, endpointPort);

        Assert.Equal(expected, actual);
        Assert.True(actual.Length <= 240);
    }

    [Fact]
    public void ChainNames_OfAServicePort_CarryTheirPrefix()
    {
        var svc1 = OverallPorts()[0];

        Assert.Equal("service-ULMVA6XW-ns1/svc1/tcp/p80", NftNames.Service(svc1));
        Assert.Equal("local-ULMVA6XW-ns1/svc1/tcp/p80", NftNames.Local(svc1));
        Assert.Equal("external-ULMVA6XW-ns1/svc1/tcp/p80", NftNames.External(svc1));
        Assert.Equal("firewall-ULMVA6XW-ns1/svc1/tcp/p80", NftNames.Firewall(svc1));
        Assert.Equal("affinity-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80", NftNames.Affinity(svc1, svc1.ClusterEndpoints[0]));
    }

    [Fact]
    public void OverallRules_EqualKubeProxysExpectedOutput_WithOurDocumentedDeviations()
    {
        var kubeProxys = File.ReadAllText(Golden("overall.nft"));
        var expected = KubeProxyNftLayout.ToOurs(kubeProxys);

        var actual = new NftablesRules(Settings).Generate(OverallPorts());

        Assert.Equal(NftablesDump.Normalise(expected), NftablesDump.Normalise(actual));
        Assert.Contains("add chain ip kube-proxy endpoint-", kubeProxys, StringComparison.Ordinal);
        Assert.DoesNotContain(" kube-proxy endpoint-", actual, StringComparison.Ordinal);
        Assert.DoesNotContain("numgen random mod 1", actual, StringComparison.Ordinal);
    }

    [Fact]
    public void OverallRules_AreAcceptedByNft() => AcceptedByNft(new NftablesRules(Settings).Generate(OverallPorts()));

    [Fact]
    public void DemoManifests_AreAcceptedByNft_WithNodePortsOnEveryLocalAddress()
    {
        var state = ManifestState.Load([Path.Combine(Commands.RepositoryRoot(), "manifests", "demo")], NullLogger.Instance);
        var settings = new RuleSettings(AddressFamily.InterNetwork, "10.244.0.0/16");

        var program = new NftablesRules(settings).Generate(ServicePort.All(state.Services, state.Slices, settings));

        Assert.Contains("add rule ip kube-proxy services fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports\n", program, StringComparison.Ordinal);
        Assert.Contains("delete set ip kube-proxy nodeport-ips\n", program, StringComparison.Ordinal);
        AcceptedByNft(program);
    }

    [Fact]
    public void IPv6Program_UsesIp6Matches_AndIsAcceptedByNft()
    {
        var settings = new RuleSettings(AddressFamily.InterNetworkV6, "fd00:10::/48", NodeName: "node1", NodeIPs: [IPAddress.Parse("fd00:192:168::2")]);
        var routing = new ServiceRouting(600, ImmutableArray.Create(IPAddress.Parse("2001:db8::22")), ImmutableArray.Create(IPAddress.Parse("2001:db8::1234")),
            ImmutableArray.Create("2001:db8:1::/64"), ExternalPolicyLocal: true);
        var service = new ServiceInfo("ns1", "svc1", ServiceKind.LoadBalancer, ImmutableArray.Create(IPAddress.Parse("fd00:172:30::41")), null,
            ImmutableArray.Create(new ServicePortInfo("p80", "TCP", 80, 3001, 80)), null, false, routing);
        var slice = new EndpointSliceInfo("ns1", "svc1-a", "svc1", ImmutableArray.Create(new EndpointPortInfo("p80", "TCP", 80)), ImmutableArray.Create(
            new EndpointInfo(ImmutableArray.Create(IPAddress.Parse("fd00:10:180::1")), true, true, false, null, "node1", null),
            new EndpointInfo(ImmutableArray.Create(IPAddress.Parse("fd00:10:180::2")), true, true, false, null, "node2", null)));

        var program = new NftablesRules(settings).Generate(ServicePort.All([service], [slice], settings));

        const string Svc = "service-ULMVA6XW-ns1/svc1/tcp/p80";
        const string Affinity = "affinity-ZVRFLKHO-ns1/svc1/tcp/p80__fd00.10.180..1/80";
        Assert.Contains("add element ip6 kube-proxy hairpin-endpoints { fd00:10:180::1 . fd00:10:180::1 }\n", program, StringComparison.Ordinal);
        Assert.Contains($"add rule ip6 kube-proxy {Svc} ip6 saddr @{Affinity} meta l4proto tcp update @{Affinity} {{ ip6 saddr }} dnat to [fd00:10:180::1]:80\n", program, StringComparison.Ordinal);
        Assert.Contains($"add rule ip6 kube-proxy {Svc} meta l4proto tcp numgen random mod 2 0 update @{Affinity} {{ ip6 saddr }} dnat to [fd00:10:180::1]:80\n", program, StringComparison.Ordinal);
        Assert.Contains("add element ip6 kube-proxy service-ips { fd00:172:30::41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }\n", program, StringComparison.Ordinal);
        Assert.Contains("add rule ip6 kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip6 daddr fd00:172:30::41 ip6 saddr != fd00:10::/48 jump mark-for-masquerade\n", program, StringComparison.Ordinal);
        Assert.Contains("add rule ip6 kube-proxy firewall-ULMVA6XW-ns1/svc1/tcp/p80 ip6 saddr != { 2001:db8:1::/64 } drop\n", program, StringComparison.Ordinal);
        Assert.Contains($"add set ip6 kube-proxy affinity-ZVRFLKHO-ns1/svc1/tcp/p80__fd00.10.180..1/80 {{ type ipv6_addr ; flags dynamic,timeout ; timeout 600s ; }}\n", program, StringComparison.Ordinal);
        Assert.DoesNotContain(" ip daddr", program, StringComparison.Ordinal);
        Assert.DoesNotContain("ipv4_addr", program, StringComparison.Ordinal);
        AcceptedByNft(program, "ip6");
    }

    [Fact]
    public void PartialSync_RewritesOnlyTheChangedServicesChains_AndWritesOnlyTheElementsThatChanged()
    {
        var writer = new NftablesRules(Settings);
        var full = writer.Write(OverallPorts(), null, new HashSet<string>());
        // svc4 loses its endpoint 10.180.0.5: its hairpin pair goes; its cluster IP's elements stay as they were.
        var changed = OverallPorts(slices: slices => slices.Select(s => s.Name == "svc4-abcde" ? s with { Endpoints = new([s.Endpoints[0]]) } : s));

        var partial = writer.Write(changed, new HashSet<ObjectKey> { new("ns4", "svc4") }, full.Chains);

        Assert.Equal(["external-LAUZTJTB-ns4/svc4/tcp/p80", "service-LAUZTJTB-ns4/svc4/tcp/p80"], Names(partial.Text, "flush chain").Order(StringComparer.Ordinal));
        Assert.All(Names(partial.Text, "add rule"), chain => Assert.Contains("ns4/svc4", chain, StringComparison.Ordinal));
        Assert.DoesNotContain("add table", partial.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("add map", partial.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("flush map", partial.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("flush set", partial.Text, StringComparison.Ordinal);
        Assert.Equal(["delete element ip kube-proxy hairpin-endpoints { 10.180.0.5 . 10.180.0.5 }"], Lines(partial.Text, "delete element "));
        Assert.Empty(Lines(partial.Text, "add element "));
        Assert.Equal(2, partial.RewrittenChains);
        Assert.Equal(0, partial.DeletedChains);
        Assert.True(full.Chains.SetEquals(partial.Chains));

        using var node = new NetworkNamespace("nft");
        Nft(node, full.Text);
        Nft(node, partial.Text);
        var listed = node.Exec("nft", "list", "table", "ip", "kube-proxy");
        Assert.DoesNotContain("10.180.0.5", listed, StringComparison.Ordinal);
        Assert.Contains("10.180.0.4 . 10.180.0.4", listed, StringComparison.Ordinal);
    }

    [Fact]
    public void NewChains_AreNotFlushed_ChainsTheKernelHas_Are()
    {
        var writer = new NftablesRules(Settings);
        string[] listed = ["service-ULMVA6XW-ns1/svc1/tcp/p80"];

        var program = writer.Write(OverallPorts(), null, listed.ToHashSet()).Text;

        Assert.Contains(listed[0], Names(program, "flush chain"));
        Assert.DoesNotContain("service-42NFTM6N-ns2/svc2/tcp/p80", Names(program, "flush chain"));
        Assert.Contains("service-42NFTM6N-ns2/svc2/tcp/p80", Names(program, "add chain"));
    }

    [Fact]
    public void ServicesChangedTogether_InOneSync_WriteTheirElementDifferencesOnly_AndLoad()
    {
        var writer = new NftablesRules(Settings);
        var full = writer.Write(OverallPorts(), null, new HashSet<string>());
        // svc2 goes; svc3 moves its cluster IP; every other service is untouched.
        var changed = OverallPorts(
            services => services.Where(s => s.Name != "svc2").Select(s => s.Name == "svc3" ? s with { ClusterIPs = new([IPAddress.Parse("172.30.0.99")]) } : s));

        var partial = writer.Write(changed, new HashSet<ObjectKey> { new("ns2", "svc2"), new("ns3", "svc3") }, full.Chains);

        var written = Lines(partial.Text, "delete element ").Concat(Lines(partial.Text, "add element ")).ToList();
        Assert.NotEmpty(written);
        // Nothing of the untouched services (their cluster IPs, node ports and chains) is written again.
        string[] untouched = ["172.30.0.41 ", "172.30.0.44 ", "172.30.0.45 ", "ns1/svc1", "ns4/svc4", "ns5/svc5", ". 3002 "];
        Assert.All(written, line => Assert.DoesNotContain(untouched, u => line.Contains(u, StringComparison.Ordinal)));
        Assert.Contains("add element ip kube-proxy service-ips { 172.30.0.99 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }", partial.Text, StringComparison.Ordinal);

        using var node = new NetworkNamespace("nft");
        Nft(node, full.Text);
        Nft(node, partial.Text);
        var listed = node.Exec("nft", "list", "map", "ip", "kube-proxy", "service-ips");
        Assert.DoesNotContain("172.30.0.42", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("172.30.0.43 ", listed, StringComparison.Ordinal);
        Assert.Contains("172.30.0.99 . tcp . 80", listed, StringComparison.Ordinal);
        Assert.Contains("172.30.0.41 . tcp . 80", listed, StringComparison.Ordinal);
    }

    [Fact]
    public void StaleChainsAndAffinitySets_AreEmptiedByTheSyncThatDropsThem_AndDeletedByTheNext()
    {
        var writer = new NftablesRules(Settings);
        var full = writer.Write(OverallPorts(), null, new HashSet<string>());
        var changed = OverallPorts(
            services => services.Where(s => s.Name is not "svc1" and not "svc5"),
            slices => slices.Select(s => s.Name == "svc4-abcde" ? s with { Endpoints = new([s.Endpoints[0]]) } : s));

        var emptying = writer.Write(changed, new HashSet<ObjectKey> { new("ns1", "svc1"), new("ns4", "svc4"), new("ns5", "svc5") }, full.Chains);
        var deleting = writer.Write(changed, new HashSet<ObjectKey>(), emptying.Chains, emptying.Emptied);

        string[] gone = ["service-ULMVA6XW-ns1/svc1/tcp/p80", "service-HVFWP5L3-ns5/svc5/tcp/p80", "external-HVFWP5L3-ns5/svc5/tcp/p80", "firewall-HVFWP5L3-ns5/svc5/tcp/p80"];
        const string affinitySet = "affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80";
        Assert.Empty(Names(emptying.Text, "delete chain"));
        Assert.Empty(Names(emptying.Text, "delete set"));
        Assert.Subset(Names(emptying.Text, "flush chain").ToHashSet(), gone.ToHashSet());
        Assert.Equal(gone.Append(affinitySet).Order(StringComparer.Ordinal), emptying.Emptied.Order(StringComparer.Ordinal));
        Assert.Equal(0, emptying.DeletedChains);
        Assert.All(gone, chain => Assert.Contains(chain, emptying.Chains));
        Assert.Equal(gone.Order(StringComparer.Ordinal), Names(deleting.Text, "delete chain"));
        Assert.Equal([affinitySet], Names(deleting.Text, "delete set"));
        Assert.Equal(gone.Length, deleting.DeletedChains);
        Assert.Empty(deleting.Emptied);
        Assert.All(gone, chain => Assert.DoesNotContain(chain, deleting.Chains));

        using var node = new NetworkNamespace("nft");
        Nft(node, full.Text);
        Nft(node, emptying.Text);
        var emptied = node.Exec("nft", "list", "chain", "ip", "kube-proxy", "service-ULMVA6XW-ns1/svc1/tcp/p80");
        Assert.DoesNotContain("dnat", emptied, StringComparison.Ordinal);
        Nft(node, deleting.Text);

        var listed = node.Exec("nft", "list", "table", "ip", "kube-proxy");
        Assert.DoesNotContain("ns1/svc1", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("ns5/svc5", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("10.180.0.5", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("172.30.0.41", listed, StringComparison.Ordinal);
        Assert.Contains("chain service-LAUZTJTB-ns4/svc4/tcp/p80", listed, StringComparison.Ordinal);
        Assert.Contains("meta l4proto tcp dnat to 10.180.0.4:80", listed, StringComparison.Ordinal);
    }

    [Fact]
    public void KubeProxysEndpointChains_AreRemovedInTwoSyncs_WhenWeTakeOverItsTable()
    {
        // kube-proxy's dump is sorted by name, so declarations go first for nft to load it.
        var dump = File.ReadAllText(Golden("overall.nft")).Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToList();
        var kubeProxys = string.Join('\n', dump.OrderBy(l => l.StartsWith("add table", StringComparison.Ordinal) ? 0 : l.StartsWith("add chain", StringComparison.Ordinal) ? 1 : 2)) + "\n";
        using var node = new NetworkNamespace("nft");
        Nft(node, kubeProxys);
        var listing = node.Exec(NftListing.Command(ipv6: false));
        var existing = NftListing.OwnedObjects(listing);
        Assert.Contains("endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80", existing);

        var writer = new NftablesRules(Settings);
        var first = writer.Write(OverallPorts(), null, existing);
        Nft(node, first.Text);
        var second = writer.Write(OverallPorts(), null, first.Chains, first.Emptied);
        Nft(node, second.Text);

        Assert.DoesNotContain("chain endpoint-", node.Exec("nft", "list", "table", "ip", "kube-proxy"), StringComparison.Ordinal);
    }

    [Fact]
    public void Programs_LoadOverThemselves_OverEachOther_AndOverOlderBaseChains()
    {
        var writer = new NftablesRules(Settings);
        var full = writer.Write(OverallPorts(), null, new HashSet<string>());
        var partial = writer.Write(OverallPorts(services => services.Where(s => s.Name != "svc4")), new HashSet<ObjectKey> { new("ns4", "svc4") }, full.Chains);
        var everyAddress = new NftablesRules(Settings with { NodeIPs = null }).Write(OverallPorts(), null, partial.Chains);

        using var node = new NetworkNamespace("nft");
        // kube-proxy before 1.34 hooked filter-input at -110; "add chain" cannot change a base chain's priority.
        Nft(node, "add table ip kube-proxy\nadd chain ip kube-proxy filter-input { type filter hook input priority -110 ; }\n");
        Nft(node, full.Text);
        Assert.Contains("hook input priority filter;", node.Exec("nft", "list", "chain", "ip", "kube-proxy", "filter-input"), StringComparison.Ordinal);
        Nft(node, full.Text);
        Nft(node, partial.Text, check: true);
        Nft(node, partial.Text);
        Nft(node, everyAddress.Text);
        Nft(node, full.Text);

        var listed = node.Exec("nft", "list", "table", "ip", "kube-proxy");
        Assert.Contains("chain service-LAUZTJTB-ns4/svc4/tcp/p80", listed, StringComparison.Ordinal);
        Assert.Contains("elements = { 192.168.0.2 }", listed, StringComparison.Ordinal);
    }

    [Fact]
    public void Listing_KeepsOurTablesServiceChainsAndAffinitySets_NotOtherTablesOrFixedChains()
    {
        const string listing = """
            table ip nat {
            	chain KUBE-SVC-ABC/x {
            	}
            }
            table ip kube-proxy {
            	chain services {
            	}
            	chain service-ULMVA6XW-ns1/svc1/tcp/p80 {
            	}
            	set cluster-ips {
            		type ipv4_addr
            	}
            	set affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 {
            		type ipv4_addr
            	}
            }
            table ip other {
            	chain service-X-ns/svc/tcp/p {
            	}
            }
            """;

        Assert.Equal(["affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80", "service-ULMVA6XW-ns1/svc1/tcp/p80"], NftListing.OwnedObjects(listing).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ListingCommand_SucceedsOnAKernelWithoutOurTable_AndListsWhatALoadLeft()
    {
        using var node = new NetworkNamespace("nft");
        Assert.Empty(NftListing.OwnedObjects(node.Exec(NftListing.Command(ipv6: false))));

        var program = new NftablesRules(Settings).Write(OverallPorts(), null, new HashSet<string>());
        Nft(node, program.Text);

        Assert.Equal(program.Chains.Order(StringComparer.Ordinal), NftListing.OwnedObjects(node.Exec(NftListing.Command(ipv6: false))).Order(StringComparer.Ordinal));
    }

    internal static IReadOnlyList<ServicePort> OverallPorts(
        Func<IEnumerable<ServiceInfo>, IEnumerable<ServiceInfo>>? services = null,
        Func<IEnumerable<EndpointSliceInfo>, IEnumerable<EndpointSliceInfo>>? slices = null)
    {
        var state = ManifestState.Load([Golden("overall.yaml")], NullLogger.Instance);
        Assert.Empty(state.Errors);
        return ServicePort.All((services ?? (s => s))(state.Services), (slices ?? (s => s))(state.Slices), Settings);
    }

    /// <summary><c>nft -c -f -</c> in a network namespace of the test's own: parsed and checked by the kernel, nothing applied.</summary>
    private static void AcceptedByNft(string program, string family = "ip")
    {
        using var node = new NetworkNamespace("nft");
        Nft(node, program, check: true);
        var (code, _) = node.TryExec("nft", "list", "table", family, "kube-proxy");
        Assert.NotEqual(0, code);
    }

    private static void Nft(NetworkNamespace node, string program, bool check = false)
    {
        string[] command = check ? ["netns", "exec", node.Name, "nft", "-c", "-f", "-"] : ["netns", "exec", node.Name, "nft", "-f", "-"];
        var (code, output) = Commands.Run("ip", command, program);
        Assert.True(code == 0, $"nft {(check ? "-c " : "")}-f - failed: {output}\n{program}");
    }

    private static IEnumerable<string> Lines(string program, string prefix) =>
        program.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The object names of the <paramref name="command"/> lines (<c>flush chain</c>, <c>add rule</c>, ...), in order.</summary>
    private static List<string> Names(string program, string command) =>
        [.. Lines(program, command + " ").Select(l => l.Split(' ')[4])];

    private static string Golden(string name) => Path.Combine(Commands.RepositoryRoot(), "tests", "KubeDns.ProxyRules.Tests", "Golden", name);
}
