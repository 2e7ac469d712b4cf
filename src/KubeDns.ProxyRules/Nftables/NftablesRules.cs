using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Sync;

namespace KubeDns.ProxyRules.Nftables;

/// <summary>
/// The <c>nft -f -</c> input kube-proxy's nftables mode writes (pkg/proxy/nftables, syncProxyRules), for one IP
/// family in its own <c>kube-proxy</c> table: a full sync writes the fixed chains, sets and maps
/// (<see cref="WriteSetup"/>), every service's chains and every element of the maps that dispatch to them; a
/// partial sync only the changed services' chains and elements. Services are written in namespace/name order
/// (kube-proxy's order is its map's; equal after its tests' sort normalisation). Where the layout differs from
/// kube-proxy's (no endpoint chains; see WriteEndpointChoice) the reason is measured, and in the README.
/// </summary>
internal sealed partial class NftablesRules(RuleSettings settings) : IRuleWriter
{
    private readonly NftElementLedger _elements = new();

    /// <summary>A full sync of <paramref name="ports"/>, as text (what the command line prints).</summary>
    public string Generate(IReadOnlyList<ServicePort> ports) => Write(ports, null, new HashSet<string>()).Text;

    public RuleProgram Write(IReadOnlyList<ServicePort> ports, IReadOnlySet<ObjectKey>? changedServices, IReadOnlySet<string> existingChains, IReadOnlySet<string>? emptiedChains = null)
    {
        var script = new NftScript(settings.IsIPv6);
        if (changedServices is null)
        {
            WriteSetup(script);
        }

        // A full sync empties the dispatch sets and maps and refills them with every service's elements (nft
        // applies the file as one transaction: no packet sees them half filled); a partial one changes only the
        // changed services' elements (NftElementLedger).
        var refill = changedServices is null || !_elements.Filled;
        if (refill)
        {
            foreach (var (kind, name) in RefilledContainers)
            {
                script.Flush(kind, name);
            }

            _elements.Reset();
        }

        var active = new HashSet<string>(StringComparer.Ordinal);
        var wanted = new Dictionary<ObjectKey, List<NftElement>>();
        var rewritten = 0;
        foreach (var port in ports)
        {
            var objects = new ServiceObjects(port, settings);
            var changed = changedServices is null || changedServices.Contains(port.Service.Key);
            if (changed)
            {
                rewritten += objects.WriteChains(script, existingChains);
            }

            if (changed || refill)
            {
                if (!wanted.TryGetValue(port.Service.Key, out var elements))
                {
                    wanted[port.Service.Key] = elements = [];
                }

                objects.AddElements(elements);
            }

            objects.AddNames(active);
        }

        foreach (var service in changedServices ?? new HashSet<ObjectKey>())
        {
            // A changed service with no ports left is gone: its elements go with it.
            _elements.Set(service, wanted.GetValueOrDefault(service) ?? []);
        }

        foreach (var (service, elements) in wanted)
        {
            if (changedServices is null || !changedServices.Contains(service))
            {
                _elements.Set(service, elements);
            }
        }

        _elements.WriteChanges(script);

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
