using KubeDns.ProxyRules.Sync;
using KubeDns.ProxyRules.Tests.Support;

namespace KubeDns.ProxyRules.Tests;

/// <summary>
/// A program the real loader rejects half way, in a namespace of the test's own: nothing of it is applied (the
/// rules loaded before stay in force) and the error shows the rejected line among its neighbours.
/// </summary>
public sealed class FailedLoadTests
{
    [Fact]
    public async Task Nft_RejectingALineHalfWay_LeavesTheLoadedRules_AndTheErrorShowsTheLine()
    {
        using var node = new NetworkNamespace("failnft");
        var loader = new CommandLoader(new(["ip", "netns", "exec", node.Name, "nft", "-f", "-"], null, ["true"], _ => new HashSet<string>()));
        Assert.True((await loader.LoadAsync("add table ip t\nadd chain ip t good\nadd rule ip t good accept\n", CancellationToken.None)).Succeeded);

        var result = await loader.LoadAsync("add chain ip t second\nflush chain ip t good\nadd rule ip t second drop\nadd rule ip t second goto no-such-chain\nadd rule ip t second accept\n", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("the program at line 4:", result.Error, StringComparison.Ordinal);
        Assert.Contains("> 4: add rule ip t second goto no-such-chain", result.Error, StringComparison.Ordinal);
        Assert.Contains("  2: flush chain ip t good", result.Error, StringComparison.Ordinal);
        var listed = node.Exec("nft", "list", "table", "ip", "t");
        Assert.Contains("accept", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("second", listed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iptables-legacy-restore", "iptables-legacy-save")]
    [InlineData("iptables-nft-restore", "iptables-nft-save")]
    public async Task IptablesRestore_RejectingALineHalfWay_LeavesTheLoadedRules_AndTheErrorShowsTheLine(string restore, string save)
    {
        using var node = new NetworkNamespace("failipt");
        var loader = new CommandLoader(new(["ip", "netns", "exec", node.Name, restore, "--noflush"], null, ["true"], _ => new HashSet<string>()));
        Assert.True((await loader.LoadAsync("*nat\n:KUBE-GOOD - [0:0]\n-A KUBE-GOOD -j RETURN\nCOMMIT\n", CancellationToken.None)).Succeeded);

        var result = await loader.LoadAsync("*nat\n:KUBE-GOOD - [0:0]\n:KUBE-NEW - [0:0]\n-A KUBE-NEW -j NO-SUCH-CHAIN\nCOMMIT\n", CancellationToken.None);

        Assert.False(result.Succeeded);
        // The legacy backend names the rule (line 4); the nf_tables backend the COMMIT of its table (line 5).
        Assert.Contains("4: -A KUBE-NEW -j NO-SUCH-CHAIN", result.Error, StringComparison.Ordinal);
        Assert.Matches(@"> [45]: ", result.Error);
        var listed = node.Exec(save, "-t", "nat");
        Assert.Contains("-A KUBE-GOOD -j RETURN", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("KUBE-NEW", listed, StringComparison.Ordinal);
    }
}
