using System.Text.Json.Serialization;

namespace KubeDns.Cluster.Wire;

/// <summary>core/v1 Pod: its addresses, state, hostname/subdomain and named container ports.</summary>
public sealed class PodObject : IWireObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec")]
    public PodSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public PodStatus? Status { get; set; }
}

public sealed class PodSpec
{
    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("subdomain")]
    public string? Subdomain { get; set; }

    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    [JsonPropertyName("containers")]
    public List<Container>? Containers { get; set; }
}

public sealed class Container
{
    [JsonPropertyName("ports")]
    public List<ContainerPort>? Ports { get; set; }
}

public sealed class ContainerPort
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    [JsonPropertyName("containerPort")]
    public int ContainerPortNumber { get; set; }
}

public sealed class PodStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("podIP")]
    public string? PodIP { get; set; }

    [JsonPropertyName("podIPs")]
    public List<PodIP>? PodIPs { get; set; }

    [JsonPropertyName("conditions")]
    public List<PodCondition>? Conditions { get; set; }
}

public sealed class PodIP
{
    [JsonPropertyName("ip")]
    public string? Ip { get; set; }
}

public sealed class PodCondition
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }
}
