using k8s;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// Builds the client configuration: a kubeconfig (with an optional context), or the in-cluster service
/// account. Never KubernetesClient's BuildDefaultConfig, which silently falls back to http://localhost:8080.
/// </summary>
internal static class ApiConnection
{
    public static KubernetesClientConfiguration Configure(ApiSourceOptions options, out string how)
    {
        if (options.Kubeconfig is { } path)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"--kubeconfig: '{path}' does not exist", path);
            }

            how = "kubeconfig " + path + (options.Context is null ? string.Empty : ", context " + options.Context);
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, options.Context);
        }

        if (!KubernetesClientConfiguration.IsInCluster())
        {
            throw new InvalidOperationException(
                "not running in a pod (no KUBERNETES_SERVICE_HOST or service account token): pass --kubeconfig PATH to reach an API server, or --manifests PATH to serve files");
        }

        how = "in-cluster service account";
        return KubernetesClientConfiguration.InClusterConfig();
    }
}
