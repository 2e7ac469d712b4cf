using System.Globalization;
using System.Net;
using k8s.Models;

namespace KubeDns.ScaleBenchmark.Cluster;

/// <summary>
/// The API objects of the layout, shaped like what a real API server returns (owner references, managed
/// fields, container specs and statuses, conditions), so that the client parses and strips realistic sizes:
/// a pod is about 3.5 KB of JSON, an EndpointSlice about 280 bytes per endpoint.
/// </summary>
internal static class ClusterObjects
{
    private const int Nodes = 1_500;
    private static readonly DateTime Created = new(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);

    public static V1Namespace Namespace(string name) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = name },
            CreationTimestamp = Created,
        },
        Spec = new V1NamespaceSpec { Finalizers = ["kubernetes"] },
        Status = new V1NamespaceStatus { Phase = "Active" },
    };

    public static V1Service Service(ServiceShape shape)
    {
        var metadata = new V1ObjectMeta
        {
            Name = shape.Name,
            NamespaceProperty = shape.Namespace,
            Labels = new Dictionary<string, string>
            {
                ["app.kubernetes.io/name"] = shape.Name,
                ["app.kubernetes.io/part-of"] = "scale",
                ["app.kubernetes.io/managed-by"] = "Helm",
            },
            Annotations = new Dictionary<string, string> { ["meta.helm.sh/release-name"] = shape.Name, ["meta.helm.sh/release-namespace"] = shape.Namespace },
            CreationTimestamp = Created,
        };
        if (shape.Kind == ServiceShapeKind.ExternalName)
        {
            return new V1Service
            {
                Metadata = metadata,
                Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = $"{shape.Name}.example.com", SessionAffinity = "None" },
            };
        }

        var clusterIP = shape.Kind == ServiceShapeKind.Headless ? "None" : ClusterLayout.ClusterIP(shape.Index).ToString();
        List<V1ServicePort> ports = [new V1ServicePort { Name = "http", Protocol = "TCP", Port = 80, TargetPort = "http" }];
        if (shape.HasMetricsPort)
        {
            ports.Add(new V1ServicePort { Name = "metrics", Protocol = "TCP", Port = 9090, TargetPort = 9090 });
        }

        return new V1Service
        {
            Metadata = metadata,
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = clusterIP,
                ClusterIPs = [clusterIP],
                Ports = ports,
                Selector = new Dictionary<string, string> { ["app"] = shape.Name },
                SessionAffinity = "None",
                IpFamilies = ["IPv4"],
                IpFamilyPolicy = "SingleStack",
                InternalTrafficPolicy = "Cluster",
            },
            Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus() },
        };
    }

    /// <summary>
    /// Slice number <paramref name="slice"/> of a service: up to 100 of its endpoints. <paramref name="changedIP"/>
    /// replaces the first endpoint's address (the change the latency measurement applies).
    /// </summary>
    public static V1EndpointSlice Slice(ServiceShape shape, int slice, IPAddress? changedIP = null)
    {
        var first = slice * ClusterLayout.SliceCapacity;
        var count = Math.Min(ClusterLayout.SliceCapacity, shape.EndpointCount - first);
        var endpoints = new List<V1Endpoint>(count);
        for (var i = 0; i < count; i++)
        {
            var pod = shape.FirstEndpoint + first + i;
            var ip = i == 0 && changedIP is not null ? changedIP : ClusterLayout.PodIP(pod);
            endpoints.Add(new V1Endpoint
            {
                Addresses = [ip.ToString()],
                Conditions = new V1EndpointConditions { Ready = true, Serving = true, Terminating = false },
                NodeName = NodeName(pod),
                TargetRef = new V1ObjectReference { Kind = "Pod", NamespaceProperty = shape.Namespace, Name = PodName(shape, pod), Uid = Uid(pod, 'p') },
                Zone = Zone(pod),
            });
        }

        List<Discoveryv1EndpointPort> ports = [new Discoveryv1EndpointPort { Name = "http", Protocol = "TCP", Port = 8080 }];
        if (shape.HasMetricsPort)
        {
            ports.Add(new Discoveryv1EndpointPort { Name = "metrics", Protocol = "TCP", Port = 9090 });
        }

        return new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta
            {
                Name = shape.SliceName(slice),
                NamespaceProperty = shape.Namespace,
                GenerateName = shape.Name + "-",
                Labels = new Dictionary<string, string>
                {
                    ["kubernetes.io/service-name"] = shape.Name,
                    ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
                    ["app.kubernetes.io/name"] = shape.Name,
                },
                Annotations = new Dictionary<string, string> { ["endpoints.kubernetes.io/last-change-trigger-time"] = "2026-11-01T08:00:00Z" },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Service", Name = shape.Name, Uid = Uid(shape.Index, 's'), Controller = true, BlockOwnerDeletion = true }],
                CreationTimestamp = Created,
            },
            AddressType = "IPv4",
            Endpoints = endpoints,
            Ports = ports,
        };
    }

    /// <summary>Pod number <paramref name="pod"/>: an endpoint of <paramref name="owner"/>, or of no service when null.</summary>
    public static V1Pod Pod(int pod, ServiceShape? owner, string ns)
    {
        var app = owner?.Name ?? $"job-{pod % 500:D3}";
        var name = owner is null ? $"{app}-{pod:D6}-run" : PodName(owner, pod);
        var ip = ClusterLayout.PodIP(pod).ToString();
        var node = NodeName(pod);
        var hostIP = $"172.20.{pod % Nodes / 250}.{(pod % Nodes % 250) + 1}";
        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                GenerateName = name[..(name.LastIndexOf('-') + 1)],
                Labels = new Dictionary<string, string>
                {
                    ["app"] = app,
                    ["app.kubernetes.io/name"] = app,
                    ["app.kubernetes.io/instance"] = app + "-prod",
                    ["app.kubernetes.io/version"] = "1.24.3",
                    ["pod-template-hash"] = TemplateHash(app),
                },
                Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/restartedAt"] = "2026-11-01T08:00:00Z" },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = $"{app}-{TemplateHash(app)}", Uid = Uid(pod % 7919, 'r'), Controller = true, BlockOwnerDeletion = true }],
                CreationTimestamp = Created,
                ManagedFields =
                [
                    new V1ManagedFieldsEntry
                    {
                        Manager = "kube-controller-manager", Operation = "Update", ApiVersion = "v1", Time = Created, FieldsType = "FieldsV1",
                        FieldsV1 = ManagedSpecFields,
                    },
                    new V1ManagedFieldsEntry
                    {
                        Manager = "kubelet", Operation = "Update", ApiVersion = "v1", Time = Created, FieldsType = "FieldsV1", Subresource = "status",
                        FieldsV1 = ManagedStatusFields,
                    },
                ],
            },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "app",
                        Image = $"registry.example.com/team/{app}:1.24.3",
                        ImagePullPolicy = "IfNotPresent",
                        Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080, Protocol = "TCP" }, new V1ContainerPort { Name = "metrics", ContainerPort = 9090, Protocol = "TCP" }],
                        Env = [new V1EnvVar { Name = "LOG_LEVEL", Value = "info" }, new V1EnvVar { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP", ApiVersion = "v1" } } }],
                        Resources = new V1ResourceRequirements
                        {
                            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
                            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("256Mi") },
                        },
                        ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "http", Scheme = "HTTP" }, PeriodSeconds = 10, TimeoutSeconds = 1, SuccessThreshold = 1, FailureThreshold = 3 },
                        VolumeMounts = [new V1VolumeMount { Name = "kube-api-access", MountPath = "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnlyProperty = true }],
                        TerminationMessagePath = "/dev/termination-log",
                        TerminationMessagePolicy = "File",
                    },
                ],
                Volumes = [new V1Volume { Name = "kube-api-access", Projected = new V1ProjectedVolumeSource { DefaultMode = 420, Sources = [new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { ExpirationSeconds = 3607, Path = "token" } }] } }],
                NodeName = node,
                ServiceAccountName = "default",
                RestartPolicy = "Always",
                DnsPolicy = "ClusterFirst",
                SchedulerName = "default-scheduler",
                TerminationGracePeriodSeconds = 30,
                EnableServiceLinks = true,
                PreemptionPolicy = "PreemptLowerPriority",
                Priority = 0,
                Tolerations =
                [
                    new V1Toleration { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 },
                    new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 },
                ],
            },
            Status = new V1PodStatus
            {
                Phase = "Running",
                Conditions =
                [
                    Condition("PodReadyToStartContainers"), Condition("Initialized"), Condition("Ready"), Condition("ContainersReady"), Condition("PodScheduled"),
                ],
                HostIP = hostIP,
                HostIPs = [new V1HostIP { Ip = hostIP }],
                PodIP = ip,
                PodIPs = [new V1PodIP { Ip = ip }],
                StartTime = Created,
                QosClass = "Burstable",
                ContainerStatuses =
                [
                    new V1ContainerStatus
                    {
                        Name = "app", Ready = true, Started = true, RestartCount = 0,
                        Image = $"registry.example.com/team/{app}:1.24.3",
                        ImageID = $"registry.example.com/team/{app}@sha256:{TemplateHash(app)}0f4c2b9e7a1d3c5b8e6f0a2d4c6b8e0f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b",
                        ContainerID = $"containerd://{Uid(pod, 'c').Replace("-", "", StringComparison.Ordinal)}",
                        State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Created } },
                    },
                ],
            },
        };
    }

    public static string PodName(ServiceShape owner, int pod) => $"{owner.Name}-{TemplateHash(owner.Name)}-{pod:D6}";

    private static V1PodCondition Condition(string type) => new() { Type = type, Status = "True", LastTransitionTime = Created };

    private static string NodeName(int pod) => $"node-{pod % Nodes:D4}";

    private static string Zone(int pod) => $"zone-{(char)('a' + (pod % 3))}";

    private static string TemplateHash(string app) => ((uint)StringComparer.Ordinal.GetHashCode(app) % 100_000_000).ToString("x8", CultureInfo.InvariantCulture);

    private static string Uid(int n, char kind) => $"{n:x8}-{(int)kind:x4}-4000-8000-{n:x12}";

    // Managed fields as a real API server returns them (kubectl hides them; the watch client gets them).
    private static readonly Dictionary<string, object> ManagedSpecFields = new()
    {
        ["f:metadata"] = new Dictionary<string, object>
        {
            ["f:generateName"] = new Dictionary<string, object>(),
            ["f:labels"] = new Dictionary<string, object> { ["."] = new Dictionary<string, object>(), ["f:app"] = new Dictionary<string, object>(), ["f:pod-template-hash"] = new Dictionary<string, object>() },
            ["f:ownerReferences"] = new Dictionary<string, object> { ["."] = new Dictionary<string, object>() },
        },
        ["f:spec"] = new Dictionary<string, object>
        {
            ["f:containers"] = new Dictionary<string, object> { ["k:{\"name\":\"app\"}"] = new Dictionary<string, object> { ["."] = new Dictionary<string, object>(), ["f:image"] = new Dictionary<string, object>(), ["f:ports"] = new Dictionary<string, object>(), ["f:resources"] = new Dictionary<string, object>() } },
            ["f:dnsPolicy"] = new Dictionary<string, object>(),
            ["f:restartPolicy"] = new Dictionary<string, object>(),
        },
    };

    private static readonly Dictionary<string, object> ManagedStatusFields = new()
    {
        ["f:status"] = new Dictionary<string, object>
        {
            ["f:conditions"] = new Dictionary<string, object> { ["k:{\"type\":\"Ready\"}"] = new Dictionary<string, object> { ["."] = new Dictionary<string, object>(), ["f:status"] = new Dictionary<string, object>() } },
            ["f:containerStatuses"] = new Dictionary<string, object>(),
            ["f:hostIP"] = new Dictionary<string, object>(),
            ["f:podIP"] = new Dictionary<string, object>(),
            ["f:podIPs"] = new Dictionary<string, object>(),
            ["f:startTime"] = new Dictionary<string, object>(),
        },
    };
}
