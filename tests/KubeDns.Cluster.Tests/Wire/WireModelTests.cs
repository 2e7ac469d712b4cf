using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using KubeDns.Cluster.Ingest;
using KubeDns.Cluster.Model;
using KubeDns.Cluster.Wire;
using static KubeDns.Cluster.Tests.Kubernetes.ApiObjects;

namespace KubeDns.Cluster.Tests.Wire;

/// <summary>
/// The server's wire model against KubernetesClient's (generated from the API's OpenAPI document) as oracle:
/// every field the server reads sits at the same JSON path, with the same JSON type and the same nullability,
/// in the real model; and objects KubernetesClient writes read back to the same records.
/// </summary>
public sealed class WireModelTests
{
    public static TheoryData<Type, Type> Pairs => new()
    {
        { typeof(NamespaceObject), typeof(V1Namespace) },
        { typeof(ServiceObject), typeof(V1Service) },
        { typeof(EndpointSliceObject), typeof(V1EndpointSlice) },
        { typeof(PodObject), typeof(V1Pod) },
        { typeof(ListMeta), typeof(V1ListMeta) },
        { typeof(StatusObject), typeof(V1Status) },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void EveryWireField_IsAFieldOfTheApiModel_OfTheSameType(Type wire, Type model)
    {
        var problems = new List<string>();
        Compare(wire, model, model.Name, problems);
        Assert.Empty(problems);
    }

    [Fact]
    public void TheComparison_FindsAFieldThatIsNotInTheModel()
    {
        var problems = new List<string>();
        Compare(typeof(Misspelt), typeof(V1ObjectMeta), "V1ObjectMeta", problems);
        Assert.Equal(["V1ObjectMeta.nmae: not in the API model", "V1ObjectMeta.generation: int here, long? in the API model"], problems);
    }

    [Fact]
    public void AServiceKubernetesClientWrites_ReadsToTheRecordOfItsFields()
    {
        var typed = Service("prod", "web", "10.96.0.20", new Dictionary<string, string> { ["app"] = "web" });
        typed.Spec.Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "web", NodePort = 30080, Protocol = "TCP" }];
        typed.Spec.Type = "NodePort";
        typed.Spec.ExternalIPs = ["192.0.2.1"];

        var info = ObjectStripper.Strip(JsonSerializer.Deserialize(KubernetesJson.Serialize(typed), WireJson.Default.ServiceObject)!);

        Assert.Equal(new ObjectKey("prod", "web"), info.Key);
        Assert.Equal(ServiceKind.NodePort, info.Kind);
        Assert.Equal("10.96.0.20", Assert.Single(info.ClusterIPs).ToString());
        var port = Assert.Single(info.Ports);
        Assert.Equal(("http", 80, 30080, "web"), (port.Name, port.Port, port.NodePort, port.TargetPortName));
        Assert.Equal("192.0.2.1", Assert.Single(info.Routing!.ExternalIPs).ToString());
    }

    [Theory]
    [InlineData("""{"port": 80, "targetPort": 8080}""", "8080")]
    [InlineData("""{"port": 80, "targetPort": "http"}""", "http")]
    [InlineData("""{"port": 80, "targetPort": null}""", null)]
    [InlineData("""{"port": 80}""", null)]
    public void ATargetPort_IsANumberOrAName(string json, string? expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize(json, WireJson.Default.ServicePort)!.TargetPort);

    [Theory]
    [InlineData("""{"port": 80, "targetPort": 80.5}""")]
    [InlineData("""{"port": 80, "targetPort": true}""")]
    [InlineData("""{"port": 80, "targetPort": {"a": 1}}""")]
    [InlineData("""{"port": "80"}""")]
    public void AFieldOfTheWrongJsonType_IsAJsonError(string json) =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, WireJson.Default.ServicePort));

    private static void Compare(Type wire, Type model, string path, List<string> problems)
    {
        var modelFields = model.GetProperties().Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name, StringComparer.Ordinal);
        foreach (var property in wire.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;
            var at = path + "." + name;
            if (!modelFields.TryGetValue(name, out var modelProperty))
            {
                problems.Add(at + ": not in the API model");
                continue;
            }

            CompareType(property.PropertyType, modelProperty.PropertyType, at, problems, property.GetCustomAttribute<JsonConverterAttribute>());
        }
    }

    private static void CompareType(Type wire, Type model, string at, List<string> problems, JsonConverterAttribute? converter = null)
    {
        if (converter?.ConverterType == typeof(IntOrStringConverter))
        {
            Expect(model == typeof(IntOrString), wire, model, at, problems);
        }
        else if (wire == typeof(string) && at.EndsWith(".deletionTimestamp", StringComparison.Ordinal))
        {
            // Only whether it is set is read; the model parses the RFC 3339 text.
            Expect(model == typeof(DateTime?), wire, model, at, problems);
        }
        else if (wire.IsValueType || wire == typeof(string))
        {
            Expect(wire == model, wire, model, at, problems);
        }
        else if (wire.IsGenericType && wire.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            Expect(model == typeof(IDictionary<string, string>) && wire == typeof(Dictionary<string, string>), wire, model, at, problems);
        }
        else if (wire.IsGenericType && wire.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (model.IsGenericType && model.GetGenericTypeDefinition() == typeof(IList<>))
            {
                CompareType(wire.GetGenericArguments()[0], model.GetGenericArguments()[0], at + "[]", problems);
            }
            else
            {
                Expect(false, wire, model, at, problems);
            }
        }
        else if (model.IsClass && model != typeof(string))
        {
            Compare(wire, model, at, problems);
        }
        else
        {
            Expect(false, wire, model, at, problems);
        }
    }

    private static void Expect(bool same, Type wire, Type model, string at, List<string> problems)
    {
        if (!same)
        {
            problems.Add($"{at}: {Name(wire)} here, {Name(model)} in the API model");
        }
    }

    private static string Name(Type type) => type switch
    {
        _ when Nullable.GetUnderlyingType(type) is { } inner => Name(inner) + "?",
        _ when type == typeof(int) => "int",
        _ when type == typeof(long) => "long",
        _ when type == typeof(string) => "string",
        _ => type.Name,
    };

    /// <summary>A wire type with two mistakes the comparison must catch: a misspelt name, a narrower number.</summary>
    private sealed class Misspelt
    {
        [JsonPropertyName("nmae")]
        public string? Name { get; set; }

        [JsonPropertyName("generation")]
        public int Generation { get; set; }
    }
}
