using k8s.Models;

namespace KubeDns.Tests.Integration.Kubernetes;

/// <summary>API objects as a test writes them to the fake API server.</summary>
internal static class ClusterObjects
{
    public static V1Service Service(string ns, string name, string clusterIp) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec
        {
            ClusterIP = clusterIp,
            Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }],
        },
    };

    public static V1Service Headless(string ns, string name) => Service(ns, name, "None");

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

    public static V1Namespace Namespace(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };

    public static V1Service Labelled(string ns, string name, string clusterIp, string app)
    {
        var service = Service(ns, name, clusterIp);
        service.Metadata.Labels = new Dictionary<string, string> { ["app"] = app };
        return service;
    }

    public static V1Pod Pod(string ns, string name, string ip) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        Status = new V1PodStatus { Phase = "Running", PodIP = ip, Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
    };
}
