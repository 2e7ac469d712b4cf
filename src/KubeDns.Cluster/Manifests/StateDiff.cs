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
