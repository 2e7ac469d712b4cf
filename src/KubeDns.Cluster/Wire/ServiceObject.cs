using System.Text.Json.Serialization;

namespace KubeDns.Cluster.Wire;

/// <summary>core/v1 Service: what DNS answers from and what the rule generator programs.</summary>
public sealed class ServiceObject : IWireObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec")]
    public ServiceSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public ServiceStatus? Status { get; set; }
}

public sealed class ServiceSpec
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("clusterIP")]
    public string? ClusterIP { get; set; }

    [JsonPropertyName("clusterIPs")]
    public List<string>? ClusterIPs { get; set; }

    [JsonPropertyName("externalName")]
    public string? ExternalName { get; set; }

    [JsonPropertyName("ports")]
    public List<ServicePort>? Ports { get; set; }

    [JsonPropertyName("selector")]
    public Dictionary<string, string>? Selector { get; set; }

    [JsonPropertyName("publishNotReadyAddresses")]
    public bool? PublishNotReadyAddresses { get; set; }

    [JsonPropertyName("sessionAffinity")]
    public string? SessionAffinity { get; set; }

    [JsonPropertyName("sessionAffinityConfig")]
    public SessionAffinityConfig? SessionAffinityConfig { get; set; }

    [JsonPropertyName("externalIPs")]
    public List<string>? ExternalIPs { get; set; }

    [JsonPropertyName("loadBalancerSourceRanges")]
    public List<string>? LoadBalancerSourceRanges { get; set; }

    [JsonPropertyName("externalTrafficPolicy")]
    public string? ExternalTrafficPolicy { get; set; }

    [JsonPropertyName("internalTrafficPolicy")]
    public string? InternalTrafficPolicy { get; set; }

    [JsonPropertyName("healthCheckNodePort")]
    public int? HealthCheckNodePort { get; set; }
}

public sealed class ServicePort
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    [JsonPropertyName("port")]
    public int Port { get; set; }

    [JsonPropertyName("nodePort")]
    public int? NodePort { get; set; }

    /// <summary>An IntOrString: a port number or a container port's name, held as written.</summary>
    [JsonPropertyName("targetPort")]
    [JsonConverter(typeof(IntOrStringConverter))]
    public string? TargetPort { get; set; }
}

public sealed class SessionAffinityConfig
{
    [JsonPropertyName("clientIP")]
    public ClientIPConfig? ClientIP { get; set; }
}

public sealed class ClientIPConfig
{
    [JsonPropertyName("timeoutSeconds")]
    public int? TimeoutSeconds { get; set; }
}

public sealed class ServiceStatus
{
    [JsonPropertyName("loadBalancer")]
    public LoadBalancerStatus? LoadBalancer { get; set; }
}

public sealed class LoadBalancerStatus
{
    [JsonPropertyName("ingress")]
    public List<LoadBalancerIngress>? Ingress { get; set; }
}

public sealed class LoadBalancerIngress
{
    [JsonPropertyName("ip")]
    public string? Ip { get; set; }
}
