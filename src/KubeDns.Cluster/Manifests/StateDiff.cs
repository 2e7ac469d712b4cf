using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Manifests;

/// <summary>The changes that turn one delivered state into another: sources emit changes, not whole worlds.</summary>
internal static class StateDiff
{
    /// <summary>
    /// Upserts for new or changed objects (record value equality), deletes for vanished ones. Upserts come
    /// namespaces first and deletes namespaces last, so a sink applying in order never sees an orphan.
    /// </summary>
    public static IReadOnlyList<ClusterChange> Diff(IReadOnlyDictionary<StateKey, object> before, IReadOnlyDictionary<StateKey, object> after)
    {
        var upserts = new List<ClusterChange>();
        foreach (var (key, value) in after)
        {
            if (!before.TryGetValue(key, out var old) || !old.Equals(value))
            {
                upserts.Add(new ClusterChange(key.Kind, key.Key, value));
            }
        }

        var deletes = new List<ClusterChange>();
        foreach (var key in before.Keys)
        {
            if (!after.ContainsKey(key))
            {
                deletes.Add(ClusterChange.Delete(key.Kind, key.Key));
            }
        }

        upserts.Sort((a, b) => Compare(a, b, kindOrder: 1));
        deletes.Sort((a, b) => Compare(a, b, kindOrder: -1));
        return [.. upserts, .. deletes];
    }

    /// <summary>
    /// <paramref name="after"/> with every value equal to the one in <paramref name="before"/> replaced by that
    /// earlier instance: the sink kept the earlier one (no change was emitted for it), so holding the new one
    /// too would keep two copies of every unchanged object (the objects derived at each merge, such as
    /// endpoints from selectors, are new instances every time).
    /// </summary>
    public static Dictionary<StateKey, object> KeepEqualInstances(IReadOnlyDictionary<StateKey, object> before, Dictionary<StateKey, object> after)
    {
        var earlier = new List<KeyValuePair<StateKey, object>>();
        foreach (var (key, value) in after)
        {
            if (before.TryGetValue(key, out var old) && !ReferenceEquals(old, value) && old.Equals(value))
            {
                earlier.Add(KeyValuePair.Create(key, old));
            }
        }

        foreach (var (key, old) in earlier)
        {
            after[key] = old;
        }

        return after;
    }

    private static int Compare(ClusterChange a, ClusterChange b, int kindOrder)
    {
        var byKind = kindOrder * a.Kind.CompareTo(b.Kind);
        if (byKind != 0)
        {
            return byKind;
        }

        var byNamespace = string.CompareOrdinal(a.Key.Namespace, b.Key.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(a.Key.Name, b.Key.Name);
    }
}
