using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Nftables;

namespace KubeDns.ProxyRules.Tests;

/// <summary>The partial sync's element diff: shared elements stay while a service holds them, changed values are replaced.</summary>
public sealed class NftElementLedgerTests
{
    private static readonly ObjectKey A = new("ns", "a");
    private static readonly ObjectKey B = new("ns", "b");

    [Fact]
    public void AFilledLedger_WritesEveryElementOnce_EvenOneTwoServicesShare()
    {
        var ledger = new NftElementLedger();
        ledger.Reset();
        ledger.Set(A, [new("hairpin-endpoints", "10.0.0.1 . 10.0.0.1"), new("cluster-ips", "10.96.0.1")]);
        ledger.Set(B, [new("hairpin-endpoints", "10.0.0.1 . 10.0.0.1")]);

        Assert.Equal(
            ["add element ip kube-proxy cluster-ips { 10.96.0.1 }", "add element ip kube-proxy hairpin-endpoints { 10.0.0.1 . 10.0.0.1 }"],
            Changes(ledger));
        Assert.True(ledger.Filled);
    }

    [Fact]
    public void ASharedElement_IsDeletedOnlyWhenTheLastServiceLetsItGo()
    {
        var ledger = Filled([new("hairpin-endpoints", "10.0.0.1 . 10.0.0.1")], [new("hairpin-endpoints", "10.0.0.1 . 10.0.0.1")]);

        ledger.Set(A, []);
        Assert.Empty(Changes(ledger));

        ledger.Set(B, []);
        Assert.Equal(["delete element ip kube-proxy hairpin-endpoints { 10.0.0.1 . 10.0.0.1 }"], Changes(ledger));
    }

    [Fact]
    public void AChangedValue_IsDeletedAndAddedAgain_AnUnchangedOneIsNotWritten()
    {
        var ledger = Filled([new("service-ips", "10.96.0.1 . tcp . 80", Value: "goto service-a"), new("cluster-ips", "10.96.0.1")], []);

        ledger.Set(A, [new("service-ips", "10.96.0.1 . tcp . 80", Value: "goto local-a"), new("cluster-ips", "10.96.0.1")]);

        Assert.Equal(
            ["delete element ip kube-proxy service-ips { 10.96.0.1 . tcp . 80 }", "add element ip kube-proxy service-ips { 10.96.0.1 . tcp . 80 : goto local-a }"],
            Changes(ledger));
    }

    [Fact]
    public void AnElementRemovedAndAddedBackBeforeTheWrite_IsNotWritten()
    {
        var ledger = Filled([new("cluster-ips", "10.96.0.1")], []);

        ledger.Set(A, []);
        ledger.Set(B, [new("cluster-ips", "10.96.0.1")]);

        Assert.Empty(Changes(ledger));
    }

    [Fact]
    public void ANewLedger_IsNotFilled_UntilReset() => Assert.False(new NftElementLedger().Filled);

    private static NftElementLedger Filled(List<NftElement> a, List<NftElement> b)
    {
        var ledger = new NftElementLedger();
        ledger.Reset();
        ledger.Set(A, a);
        ledger.Set(B, b);
        Changes(ledger);
        return ledger;
    }

    private static List<string> Changes(NftElementLedger ledger)
    {
        var script = new NftScript(ipv6: false);
        ledger.WriteChanges(script);
        return [.. script.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
