using KubeDns.ProxyRules.Iptables;
using KubeDns.ProxyRules.Tests.Support;

namespace KubeDns.ProxyRules.Tests;

/// <summary><c>--apply</c> run after run: idempotent jumps, and what an earlier run left removed once unwanted.</summary>
public sealed class ApplyTests
{
    [Theory]
    [InlineData("iptables")]
    [InlineData("nftables")]
    public void ASecondRun_RemovesTheChainsOfAServiceDeletedSinceTheFirst(string mode)
    {
        using var node = new NetworkNamespace("apply");
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        ProxyRulesProcess.Apply(node, mode, manifests.Path);
        Assert.Contains("shop/sticky", Listing(node, mode), StringComparison.Ordinal);

        manifests.Write(TrafficManifests.All().Replace("name: sticky,", "name: sticky2,", StringComparison.Ordinal));
        ProxyRulesProcess.Apply(node, mode, manifests.Path);

        var listing = Listing(node, mode);
        Assert.DoesNotContain("shop/sticky:", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("shop/sticky/", listing, StringComparison.Ordinal);
        Assert.Contains("shop/web", listing, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RunningTwice_InsertsEachJumpFromTheBuiltInChainsOnce(bool legacy)
    {
        using var node = new NetworkNamespace("jumps");
        using var manifests = ManifestFolder.With(TrafficManifests.All());

        ProxyRulesProcess.Apply(node, "iptables", manifests.Path, legacy);
        ProxyRulesProcess.Apply(node, "iptables", manifests.Path, legacy);

        var save = legacy ? "iptables-legacy-save" : "iptables-nft-save";
        var nat = node.Exec(save, "-t", "nat").Split('\n');
        var filter = node.Exec(save, "-t", "filter").Split('\n');
        Assert.Single(nat, l => l.StartsWith("-A PREROUTING ", StringComparison.Ordinal) && l.EndsWith("-j KUBE-SERVICES", StringComparison.Ordinal));
        Assert.Single(nat, l => l.StartsWith("-A POSTROUTING ", StringComparison.Ordinal) && l.EndsWith("-j KUBE-POSTROUTING", StringComparison.Ordinal));
        Assert.Single(filter, l => l.StartsWith("-A FORWARD ", StringComparison.Ordinal) && l.EndsWith("-j KUBE-FORWARD", StringComparison.Ordinal));
        Assert.Equal(12, nat.Concat(filter).Count(l => l.StartsWith("-A ", StringComparison.Ordinal) && l.Split(' ')[1] is "PREROUTING" or "OUTPUT" or "POSTROUTING" or "INPUT" or "FORWARD"));
    }

    [Fact]
    public void TheJumpsMissingFromAListing_AreInsertedInOneProgram_AndNoneWhenAllAreThere()
    {
        var all = IptablesEntryPoints.InsertMissing("");
        Assert.NotNull(all);
        var lines = all.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["*filter", "COMMIT", "*nat", "COMMIT"], lines.Where(l => !l.StartsWith("-I ", StringComparison.Ordinal)));
        Assert.Equal(12, lines.Count(l => l.StartsWith("-I ", StringComparison.Ordinal)));

        // What iptables-save prints after they are in: every -I as an -A, under its table.
        var saved = all.Replace("-I ", "-A ", StringComparison.Ordinal);
        Assert.Null(IptablesEntryPoints.InsertMissing(saved));
        var withoutOne = string.Join('\n', saved.Split('\n').Where(l => !l.StartsWith("-A PREROUTING", StringComparison.Ordinal)));
        Assert.Equal("*nat\n-I PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\nCOMMIT\n", IptablesEntryPoints.InsertMissing(withoutOne));
    }

    private static string Listing(NetworkNamespace node, string mode) =>
        mode == "iptables" ? node.Exec("iptables-save") : node.Exec("nft", "list", "table", "ip", "kube-proxy");
}
