namespace KubeDns.Testing.FakeApi;

/// <summary>The resources the fake API server serves.</summary>
public enum ApiKind
{
    /// <summary>core/v1 services: <c>/api/v1/services</c>.</summary>
    Services,

    /// <summary>discovery.k8s.io/v1 endpointslices: <c>/apis/discovery.k8s.io/v1/endpointslices</c>.</summary>
    EndpointSlices,

    /// <summary>core/v1 namespaces (cluster-scoped): <c>/api/v1/namespaces</c>.</summary>
    Namespaces,

    /// <summary>core/v1 pods: <c>/api/v1/pods</c>.</summary>
    Pods,
}

/// <summary>What a read request does, as RBAC names it.</summary>
public enum ApiVerb
{
    /// <summary>A collection GET without <c>watch=true</c>.</summary>
    List,

    /// <summary>A collection GET with <c>watch=true</c> (or on a <c>/watch/</c> path).</summary>
    Watch,

    /// <summary>A GET of one object by name.</summary>
    Get,
}
