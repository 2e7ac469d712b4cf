using KubeDns.Cluster.Endpoints;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Manifests;

/// <summary>Two files declaring the same object; the later path in ordinal order wins.</summary>
internal sealed record DuplicateObject(StateKey Key, string Loser, string Winner);

/// <summary>The cluster state the manifests describe, ready to diff against what was delivered.</summary>
internal sealed record MergedManifests(Dictionary<StateKey, object> Objects, IReadOnlyList<DuplicateObject> Duplicates);

/// <summary>
/// Combines every file's objects into one cluster state and adds what a real cluster would have without being
/// told: the endpoints a controller derives from selectors, and namespaces that objects live in.
/// </summary>
internal static class ManifestMerge
{
    public static MergedManifests Merge(IEnumerable<KeyValuePair<string, IReadOnlyList<ManifestObject>>> files)
    {
        var objects = new Dictionary<StateKey, object>();
        var origins = new Dictionary<StateKey, string>();
        var duplicates = new List<DuplicateObject>();
        foreach (var (path, fileObjects) in files)
        {
            foreach (var item in fileObjects)
            {
                if (origins.TryGetValue(item.StateKey, out var earlier))
                {
                    duplicates.Add(new DuplicateObject(item.StateKey, earlier, path));
                }

                objects[item.StateKey] = item.Value;
                origins[item.StateKey] = path;
            }
        }

        AddDerivedEndpoints(objects);
        AddReferencedNamespaces(objects);
        return new MergedManifests(objects, duplicates);
    }

    /// <summary>A declared slice with the derived name wins: derivation only fills gaps.</summary>
    private static void AddDerivedEndpoints(Dictionary<StateKey, object> objects)
    {
        var derived = EndpointDerivation.Derive(
            objects.Values.OfType<ServiceInfo>(),
            objects.Values.OfType<PodInfo>(),
            objects.Values.OfType<EndpointSliceInfo>());
        foreach (var slice in derived)
        {
            objects.TryAdd(new StateKey(ObjectKind.EndpointSlice, slice.Key), slice);
        }
    }

    /// <summary>
    /// kubectl needs no Namespace object for <c>default</c>, and a manifest folder often omits the others too;
    /// a namespace that holds objects exists, so it gets a synthetic NamespaceInfo (DNS answers NXDOMAIN under a
    /// namespace that does not exist).
    /// </summary>
    private static void AddReferencedNamespaces(Dictionary<StateKey, object> objects)
    {
        var referenced = objects.Keys
            .Where(key => key.Kind != ObjectKind.Namespace)
            .Select(key => key.Key.Namespace)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var name in referenced)
        {
            var info = new NamespaceInfo(name);
            objects.TryAdd(new StateKey(ObjectKind.Namespace, info.Key), info);
        }
    }
}
