using System.Text.Json.Serialization;

namespace KubeDns.Cluster.Wire;

/// <summary>An API object as the informer handles it: its metadata, whatever its kind.</summary>
public interface IWireObject
{
    ObjectMeta? Metadata { get; }
}

/// <summary>metav1.ObjectMeta: the fields DNS reads (identity, version, labels, deletion).</summary>
public sealed class ObjectMeta
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }

    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>Only whether it is set matters (a terminating pod), so the RFC 3339 text is not parsed.</summary>
    [JsonPropertyName("deletionTimestamp")]
    public string? DeletionTimestamp { get; set; }
}

/// <summary>metav1.ListMeta: where a paged list goes on, and the version it was read at.</summary>
public sealed class ListMeta
{
    [JsonPropertyName("continue")]
    public string? Continue { get; set; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }
}

/// <summary>metav1.Status, as an ERROR watch event carries it (410 Expired among them).</summary>
public sealed class StatusObject
{
    [JsonPropertyName("code")]
    public int? Code { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
