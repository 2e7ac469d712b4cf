using KubeDns.Cluster.Model;

namespace KubeDns.Cluster;

/// <summary>Where sources deliver cluster changes (the DNS zone builder, the rule generator).</summary>
public interface IClusterChangeSink
{
    /// <summary>
    /// Applies a batch of changes. A batch is atomic for readers: they see all of it or none of it.
    /// Called by one source at a time (implementations serialise callers).
    /// </summary>
    void Apply(IReadOnlyList<ClusterChange> changes);
}
