using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Sync;

namespace KubeDns.ProxyRules.Nftables;

/// <summary>
/// The <c>nft -f -</c> input kube-proxy's nftables mode writes (pkg/proxy/nftables, syncProxyRules), for one IP
/// family in its own <c>kube-proxy</c> table: a full sync writes the fixed chains, sets and maps
/// (<see cref="WriteSetup"/>) and every service's chains; a partial sync only the changed services' chains.
/// Both refill the maps that dispatch to the service chains. Services are written in namespace/name order
/// (kube-proxy's order is its map's; equal after its tests' sort normalisation).
/// </summary>
internal sealed partial class NftablesRules(RuleSettings settings) : IRuleWriter
{
    /// <summary>A full sync of <paramref name="ports"/>, as text (what the command line prints).</summary>
    public string Generate(IReadOnlyList<ServicePort> ports) => Write(ports, null, new HashSet<string>()).Text;

    public RuleProgram Write(IReadOnlyList<ServicePort> ports, IReadOnlySet<ObjectKey>? changedServices, IReadOnlySet<string> existingChains, IReadOnlySet<string>? emptiedChains = null)
    {
        var script = new NftScript(settings.IsIPv6);
        if (changedServices is null)
        {
            WriteSetup(script);
        }

        // The dispatch maps are emptied and refilled with every service's elements on every sync, as kube-proxy
        // did before it diffed them against a listing (its [OLD] setupNFTables): nothing has to be read back
        // from the kernel, and since nft applies the file as one transaction no packet sees them half filled.
        foreach (var (kind, name) in RefilledContainers)
        {
            script.Flush(kind, name);
        }

        var active = new HashSet<string>(StringComparer.Ordinal);
        var rewritten = 0;
        foreach (var port in ports)
        {
            var objects = new ServiceObjects(port, settings);
            if (changedServices is null || changedServices.Contains(port.Service.Key))
            {
                rewritten += objects.WriteChains(script);
            }

            objects.WriteElements(script);
            objects.AddNames(active);
        }

        var (deleted, emptied) = RemoveStale(script, existingChains, emptiedChains ?? new HashSet<string>(), active);
        return new RuleProgram(script.ToString(), active.Union(emptied).ToHashSet(StringComparer.Ordinal), rewritten, deleted) { Emptied = emptied };
    }

    /// <summary>
    /// Removes, in two steps as kube-proxy does, the chains and affinity sets the previous programs left that no
    /// service wants now: this program flushes the newly stale chains (which drops their jumps to other chains
    /// and their references to affinity sets) and deletes those an earlier, loaded program flushed. One
    /// transaction cannot do both on kernels before 6.2: they release the references of the vmap elements the
    /// same transaction removed lazily, and <c>delete chain</c> fails with EBUSY (6.2 and later accept it; the
    /// cost of the second step is only that a stale chain lingers, empty, until the next sync).
    /// Returns the number of chains deleted and the stale names left in the kernel for the next program.
    /// </summary>
    private static (int Deleted, HashSet<string> Emptied) RemoveStale(NftScript script, IReadOnlySet<string> existing, IReadOnlySet<string> emptiedBefore, HashSet<string> active)
    {
        var stale = existing.Where(name => !active.Contains(name)).Order(StringComparer.Ordinal).ToList();
        var emptied = stale.Where(name => !emptiedBefore.Contains(name)).ToHashSet(StringComparer.Ordinal);
        foreach (var chain in emptied.Where(name => !NftNames.IsAffinitySet(name)).Order(StringComparer.Ordinal))
        {
            script.FlushChain(chain);
        }

        var deletedChains = stale.Where(name => emptiedBefore.Contains(name) && !NftNames.IsAffinitySet(name)).ToList();
        foreach (var chain in deletedChains)
        {
            script.DeleteChain(chain);
        }

        // A set is referenced only by its endpoint chain's rules, gone once that chain was flushed.
        foreach (var set in stale.Where(name => emptiedBefore.Contains(name) && NftNames.IsAffinitySet(name)))
        {
            script.DeleteSet(set);
        }

        return (deletedChains.Count, emptied);
    }
}
