using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Model;

namespace KubeDns.ProxyRules.Sync;

/// <summary>Turns service ports into one program for a rule loader (iptables-restore or nft).</summary>
internal interface IRuleWriter
{
    /// <summary>
    /// A full sync when <paramref name="changedServices"/> is null: every chain written. A partial sync
    /// otherwise: the top-level chains and maps, plus only the chains of the changed services; chains the
    /// previous sync left (<paramref name="existingChains"/>) that are no longer wanted are deleted: at once, or
    /// (nftables) emptied now and deleted by a later program once an earlier one emptied them
    /// (<paramref name="emptiedChains"/>, the previous program's <see cref="RuleProgram.Emptied"/>).
    /// </summary>
    RuleProgram Write(IReadOnlyList<ServicePort> ports, IReadOnlySet<ObjectKey>? changedServices, IReadOnlySet<string> existingChains, IReadOnlySet<string>? emptiedChains = null);
}

/// <summary>
/// The loader's input, every per-service chain that exists once it is loaded, and how many of those chains it
/// rewrote (all of them in a full sync) and deleted.
/// </summary>
internal sealed record RuleProgram(string Text, IReadOnlySet<string> Chains, int RewrittenChains, int DeletedChains)
{
    /// <summary>Chains (and sets) no service wants, which this program empties and leaves for a later one to delete.</summary>
    public IReadOnlySet<string> Emptied { get; init; } = new HashSet<string>();
}
