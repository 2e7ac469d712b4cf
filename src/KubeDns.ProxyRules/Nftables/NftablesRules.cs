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

    public RuleProgram Write(IReadOnlyList<ServicePort> ports, IReadOnlySet<ObjectKey>? changedServices, IReadOnlySet<string> existingChains)
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

        var deleted = DeleteStale(script, existingChains, active);
        return new RuleProgram(script.ToString(), active, rewritten, deleted);
    }

    /// <summary>
    /// Removes the chains and affinity sets the previous program left that no service wants now. kube-proxy
    /// only flushes a stale chain and deletes it in a later transaction, at least a second on, because kernels
    /// before 6.2 released the references from deleted vmap elements lazily and failed the delete with EBUSY.
    /// Here the maps were flushed earlier in this same transaction, and on the kernel this was written on
    /// (6.18) <c>flush map</c> + <c>flush chain</c> + <c>delete chain</c> in one <c>nft -f</c> succeeds (a
    /// <c>delete chain</c> of a chain a map element still names fails with EBUSY, so the order matters), so a
    /// chain is deleted in the sync that stops using it and never lingers. Every stale chain is flushed before
    /// any is deleted: a stale service chain still jumps to stale endpoint chains until it is emptied.
    /// Returns the number of chains deleted.
    /// </summary>
    private static int DeleteStale(NftScript script, IReadOnlySet<string> existing, HashSet<string> active)
    {
        var stale = existing.Where(name => !active.Contains(name)).Order(StringComparer.Ordinal).ToList();
        var chains = stale.Where(name => !NftNames.IsAffinitySet(name)).ToList();
        foreach (var chain in chains)
        {
            script.FlushChain(chain);
        }

        foreach (var chain in chains)
        {
            script.DeleteChain(chain);
        }

        // After the chains: an endpoint chain's update rule refers to its set until the chain is flushed.
        foreach (var set in stale.Where(NftNames.IsAffinitySet))
        {
            script.DeleteSet(set);
        }

        return chains.Count;
    }
}
