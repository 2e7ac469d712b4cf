using k8s.Models;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>The smallest valid API objects of each kind the informers read, as a test writes them to the fake server.</summary>
internal static class ApiObjects
{
    public static V1Service Service(string ns, string name, string clusterIp, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new V1ServiceSpec
        {
            ClusterIP = clusterIp,
            Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }],
        },
    };

    public static V1EndpointSlice Slice(string ns, string name, string service, params string[] addresses) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 80, Protocol = "TCP" }],
        Endpoints = [.. addresses.Select(address => new V1Endpoint { Addresses = [address], Conditions = new V1EndpointConditions { Ready = true } })],
    };

    public static V1Namespace Namespace(string name, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
    };

    public static V1Pod Pod(string ns, string name, string ip) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
        },
    };
}
