using k8s;
using KubeDns.Cluster.Manifests;
using YamlDotNet.RepresentationModel;
using Models = k8s.Models;

namespace KubeDns.Testing.FakeApi;

/// <summary>
/// Every document of a YAML file as its Kubernetes model object, for tests that load manifests into the fake
/// API server or check the deploy manifests (KubernetesClient.Aot keeps its YAML loader internal; the server's
/// own tree reader turns each document into KubernetesClient's model through its generated JSON).
/// </summary>
public static class ManifestObjects
{
    public static IReadOnlyList<IKubernetesObject> LoadAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().Select(Read)];
    }

    private static IKubernetesObject Read(YamlMappingNode node) =>
        (node.Children.TryGetValue(new YamlScalarNode("kind"), out var kind) ? (kind as YamlScalarNode)?.Value : null) switch
        {
            "Namespace" => Typed<Models.V1Namespace>(node),
            "Service" => Typed<Models.V1Service>(node),
            "EndpointSlice" => Typed<Models.V1EndpointSlice>(node),
            "Pod" => Typed<Models.V1Pod>(node),
            "ConfigMap" => Typed<Models.V1ConfigMap>(node),
            "ServiceAccount" => Typed<Models.V1ServiceAccount>(node),
            "Deployment" => Typed<Models.V1Deployment>(node),
            "DaemonSet" => Typed<Models.V1DaemonSet>(node),
            "ClusterRole" => Typed<Models.V1ClusterRole>(node),
            "ClusterRoleBinding" => Typed<Models.V1ClusterRoleBinding>(node),
            "PodDisruptionBudget" => Typed<Models.V1PodDisruptionBudget>(node),
            var other => throw new NotSupportedException($"line {node.Start.Line}: kind {other} is not one the tests read"),
        };

    private static T Typed<T>(YamlMappingNode node)
    {
        var model = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)SourceGenerationContext.Default.GetTypeInfo(typeof(T))!;
        var (value, line, path, reason) = YamlTreeJson.Read(node, model);
        return value ?? throw new FormatException($"line {line}: {path}: {reason}");
    }
}
