using KubeDns.Cluster.Model;

namespace KubeDns.ProxyRules.Nftables;

/// <summary>One element of a dispatch set or map: its key, the comment nft keeps with it, and a map's value.</summary>
internal readonly record struct NftElement(string Container, string Key, string? Comment = null, string? Value = null);

/// <summary>
/// The elements of the dispatch sets and maps as the last program left them, by the service that wants each,
/// so that a partial sync adds and deletes only the changed services' elements instead of refilling every map.
/// Refilling cost the whole cluster's elements on every sync (1.1 s of a partial load at 10,000 services);
/// a diff costs the change. An element several services want (a hairpin pair, an endpoint two services share)
/// stays until the last of them lets it go.
/// </summary>
/// <remarks>
/// The ledger runs ahead of the kernel: it records what the program it just wrote will leave. That is sound
/// because a failed load is always followed by a full sync (<c>FamilyRules</c>), which flushes every container
/// and starts the ledger again.
/// </remarks>
internal sealed class NftElementLedger
{
    private readonly Dictionary<ObjectKey, List<NftElement>> _byService = [];
    private readonly Dictionary<(string Container, string Key), Holding> _held = [];
    private readonly Dictionary<(string Container, string Key), NftElement?> _before = [];

    /// <summary>Whether a full sync has filled the ledger (a partial sync can only diff against one).</summary>
    public bool Filled { get; private set; }

    /// <summary>Forgets everything: the program about to be written flushes every container.</summary>
    public void Reset()
    {
        _byService.Clear();
        _held.Clear();
        _before.Clear();
        Filled = true;
    }

    /// <summary>Replaces <paramref name="service"/>'s elements (none: the service is gone).</summary>
    public void Set(ObjectKey service, List<NftElement> elements)
    {
        if (_byService.Remove(service, out var old))
        {
            foreach (var element in old)
            {
                Release(element);
            }
        }

        foreach (var element in elements)
        {
            Hold(element);
        }

        if (elements.Count > 0)
        {
            _byService[service] = elements;
        }
    }

    /// <summary>
    /// Writes what changed since the last call: deletes first (a key whose value changed is deleted and added
    /// again, which one transaction allows), then adds, each in container then key order.
    /// </summary>
    public void WriteChanges(NftScript script)
    {
        var deletes = new List<NftElement>();
        var adds = new List<NftElement>();
        foreach (var (slot, before) in _before)
        {
            var after = _held.TryGetValue(slot, out var holding) ? holding.Element : (NftElement?)null;
            if (before == after)
            {
                continue;
            }

            if (before is { } gone)
            {
                deletes.Add(gone);
            }

            if (after is { } added)
            {
                adds.Add(added);
            }
        }

        foreach (var element in deletes.OrderBy(e => e.Container, StringComparer.Ordinal).ThenBy(e => e.Key, StringComparer.Ordinal))
        {
            script.DeleteElement(element.Container, element.Key);
        }

        foreach (var element in adds.OrderBy(e => e.Container, StringComparer.Ordinal).ThenBy(e => e.Key, StringComparer.Ordinal))
        {
            script.Element(element.Container, element.Key, element.Comment, element.Value);
        }

        _before.Clear();
    }

    private void Hold(NftElement element)
    {
        var slot = (element.Container, element.Key);
        Remember(slot);
        // The latest writer's value wins: two services claiming one address and port is a conflict the API
        // allows for a moment (an IP being reassigned), and the newer claim is the one to serve.
        _held[slot] = _held.TryGetValue(slot, out var holding) ? new Holding(element, holding.Count + 1) : new Holding(element, 1);
    }

    private void Release(NftElement element)
    {
        var slot = (element.Container, element.Key);
        Remember(slot);
        var holding = _held[slot];
        if (holding.Count == 1)
        {
            _held.Remove(slot);
        }
        else
        {
            _held[slot] = holding with { Count = holding.Count - 1 };
        }
    }

    /// <summary>The first time a slot is touched since the last write, what the kernel has for it.</summary>
    private void Remember((string Container, string Key) slot)
    {
        if (!_before.ContainsKey(slot))
        {
            _before[slot] = _held.TryGetValue(slot, out var holding) ? holding.Element : null;
        }
    }

    private readonly record struct Holding(NftElement Element, int Count);
}
