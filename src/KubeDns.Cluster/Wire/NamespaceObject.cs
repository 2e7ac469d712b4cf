using System.Text.Json.Serialization;

namespace KubeDns.Cluster.Wire;

/// <summary>core/v1 Namespace: only its name matters to DNS.</summary>
public sealed class NamespaceObject : IWireObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }
}
