using System.Text.Json.Serialization;

namespace KubeDns.Cluster.Wire;

/// <summary>
/// The JSON model of the four kinds DNS reads, source-generated for Native AOT. It replaces KubernetesClient's
/// model for reading (issue 14): that model's generated serializer roots every Kubernetes type, about 13 MB of the
/// published program's code and type data (the linker's map file: 47,000 of its 76,000 type structures), where
/// DNS needs some forty fields. Property names are the API's own (the tests hold each path to KubernetesClient's
/// model, WireModelTests); fields not listed are skipped unread, and a listed field of the wrong JSON type is a
/// <see cref="System.Text.Json.JsonException"/> naming its path, as before.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(NamespaceObject))]
[JsonSerializable(typeof(ServiceObject))]
[JsonSerializable(typeof(EndpointSliceObject))]
[JsonSerializable(typeof(PodObject))]
[JsonSerializable(typeof(ListMeta))]
[JsonSerializable(typeof(StatusObject))]
public sealed partial class WireJson : JsonSerializerContext
{
}
