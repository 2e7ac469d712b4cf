using System.Net;

namespace KubeDns.Cluster.Model;

/// <summary>
/// An EndpointSlice (discovery.k8s.io/v1), stripped at ingest. <see cref="ServiceName"/> comes from the
/// <c>kubernetes.io/service-name</c> label; slices without it belong to no service and are ignored by DNS.
/// The endpoints are held packed (<see cref="EndpointPacking"/>) and unpacked on each read of
/// <see cref="Endpoints"/>: read them once per use.
/// </summary>
public sealed record EndpointSliceInfo(
    string Namespace,
    string Name,
    string? ServiceName,
    EquatableArray<EndpointPortInfo> Ports,
    EquatableArray<EndpointInfo> Endpoints)
{
    private readonly EquatableArray<byte> _packedEndpoints = EndpointPacking.Pack(Endpoints);

    /// <summary>The endpoints, unpacked from the slice's bytes (a new array on every read).</summary>
    public EquatableArray<EndpointInfo> Endpoints
    {
        get => EndpointPacking.Unpack(_packedEndpoints);
        init => _packedEndpoints = EndpointPacking.Pack(value);
    }

    public ObjectKey Key => new(Namespace, Name);

    public ObjectKey? ServiceKey => ServiceName is null ? null : new ObjectKey(Namespace, ServiceName);

    /// <summary>
    /// The slice without its endpoints' pod names (this one when it has none): a server that does not answer
    /// <c>endpoint_pod_names</c> does not keep a string per endpoint (issue 14).
    /// </summary>
    public EndpointSliceInfo WithoutPodNames()
    {
        var endpoints = Endpoints;
        foreach (var endpoint in endpoints)
        {
            if (endpoint.PodName is not null)
            {
                return this with { Endpoints = new([.. endpoints.Select(e => e with { PodName = null })]) };
            }
        }

        return this;
    }
}

public sealed record EndpointPortInfo(string? Name, string Protocol, int Port);

/// <summary>
/// One endpoint. Ready follows the API: a missing <c>conditions.ready</c> means ready.
/// <see cref="PodName"/> is the targetRef name when it refers to a Pod (used by endpoint_pod_names).
/// </summary>
public sealed record EndpointInfo(
    EquatableArray<IPAddress> Addresses,
    bool Ready,
    bool Serving,
    bool Terminating,
    string? Hostname,
    string? NodeName,
    string? PodName);
