using System.Text.Json.Serialization;

namespace KubeDns.Cluster.Wire;

/// <summary>discovery.k8s.io/v1 EndpointSlice.</summary>
public sealed class EndpointSliceObject : IWireObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("ports")]
    public List<EndpointPort>? Ports { get; set; }

    [JsonPropertyName("endpoints")]
    public List<Endpoint>? Endpoints { get; set; }
}

public sealed class EndpointPort
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    [JsonPropertyName("port")]
    public int? Port { get; set; }
}

public sealed class Endpoint
{
    [JsonPropertyName("addresses")]
    public List<string>? Addresses { get; set; }

    [JsonPropertyName("conditions")]
    public EndpointConditions? Conditions { get; set; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    [JsonPropertyName("targetRef")]
    public ObjectReference? TargetRef { get; set; }
}

public sealed class EndpointConditions
{
    [JsonPropertyName("ready")]
    public bool? Ready { get; set; }

    [JsonPropertyName("serving")]
    public bool? Serving { get; set; }

    [JsonPropertyName("terminating")]
    public bool? Terminating { get; set; }
}

public sealed class ObjectReference
{
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }
}
