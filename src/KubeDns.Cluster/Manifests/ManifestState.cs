using KubeDns.Cluster.Model;
using Microsoft.Extensions.Logging;

namespace KubeDns.Cluster.Manifests;

/// <summary>What a manifest folder describes, read once: for programs that need the state, not a watch.</summary>
public sealed record ClusterState(
    IReadOnlyList<ServiceInfo> Services,
    IReadOnlyList<EndpointSliceInfo> Slices,
    IReadOnlyDictionary<string, string> Errors);

/// <summary>Reads manifest files and folders into a <see cref="ClusterState"/> (derived endpoints included).</summary>
public static class ManifestState
{
    public static ClusterState Load(IEnumerable<string> paths, ILogger logger)
    {
        var catalog = new ManifestCatalog(logger);
        catalog.Refresh(ManifestFiles.Enumerate(ManifestFiles.ResolveRoots(paths)), new HashSet<string>(), readAll: true);
        var merged = ManifestMerge.Merge(catalog.Files);
        return new ClusterState(
            [.. merged.Objects.Values.OfType<ServiceInfo>()],
            [.. merged.Objects.Values.OfType<EndpointSliceInfo>()],
            catalog.Errors);
    }
}
