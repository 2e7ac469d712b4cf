using System.Text;
using k8s;
using k8s.Models;

namespace KubeDns.Testing.FakeApi;

/// <summary>The REST facts of one <see cref="ApiKind"/>: where it lives and how it is named on the wire.</summary>
internal sealed class KindInfo
{
    private static readonly KindInfo[] All =
    [
        new(ApiKind.Services, "services", group: "", "v1", "Service", namespaced: true),
        new(ApiKind.EndpointSlices, "endpointslices", group: "discovery.k8s.io", "v1", "EndpointSlice", namespaced: true),
        new(ApiKind.Namespaces, "namespaces", group: "", "v1", "Namespace", namespaced: false),
        new(ApiKind.Pods, "pods", group: "", "v1", "Pod", namespaced: true),
    ];

    private KindInfo(ApiKind kind, string resource, string group, string version, string kindName, bool namespaced)
    {
        Kind = kind;
        Resource = resource;
        Group = group;
        KindName = kindName;
        Namespaced = namespaced;
        ApiVersion = group.Length == 0 ? version : group + "/" + version;
        GroupVersionPath = group.Length == 0 ? "/api/" + version : "/apis/" + group + "/" + version;
        ObjectHeader = Encoding.UTF8.GetBytes($"\"kind\":\"{kindName}\",\"apiVersion\":\"{ApiVersion}\"");
    }

    public ApiKind Kind { get; }

    /// <summary>The plural resource name, as in URLs and RBAC rules.</summary>
    public string Resource { get; }

    /// <summary>The API group; empty for core.</summary>
    public string Group { get; }

    public string ApiVersion { get; }

    public string KindName { get; }

    public string ListKindName => KindName + "List";

    public bool Namespaced { get; }

    /// <summary><c>/api/v1</c> or <c>/apis/discovery.k8s.io/v1</c>.</summary>
    public string GroupVersionPath { get; }

    /// <summary><c>"kind":"Service","apiVersion":"v1"</c>: what a watch event object carries and a list item does not.</summary>
    public byte[] ObjectHeader { get; }

    public static IReadOnlyList<KindInfo> Every => All;

    public static KindInfo Of(ApiKind kind) => All[(int)kind];

    /// <summary>The kind an API model object belongs to.</summary>
    public static KindInfo Of(IKubernetesObject<V1ObjectMeta> item) => item switch
    {
        V1Service => Of(ApiKind.Services),
        V1EndpointSlice => Of(ApiKind.EndpointSlices),
        V1Namespace => Of(ApiKind.Namespaces),
        V1Pod => Of(ApiKind.Pods),
        _ => throw new ArgumentException(
            $"The fake API server serves V1Service, V1EndpointSlice, V1Namespace and V1Pod, not {item.GetType().Name}.",
            nameof(item)),
    };
}
