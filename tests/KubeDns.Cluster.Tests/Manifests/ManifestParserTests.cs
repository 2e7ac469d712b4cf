using System.Net;
using KubeDns.Cluster.Manifests;
using KubeDns.Cluster.Model;
using KubeDns.Cluster.Tests.TestSupport;

namespace KubeDns.Cluster.Tests.Manifests;

public sealed class ManifestParserTests
{
    [Fact]
    public void Parse_MultiDocumentFile_ReadsEveryDocument()
    {
        var result = ManifestParser.Parse(Manifest.Docs(
            Manifest.Namespace("prod"),
            Manifest.Service("prod", "web", "10.96.1.20", "web"),
            Manifest.Pod("prod", "web-1", "web", "10.244.0.5")));

        Assert.Null(result.Error);
        Assert.Equal([ObjectKind.Namespace, ObjectKind.Service, ObjectKind.Pod], result.Objects.Select(o => o.Kind));
        var service = Assert.IsType<ServiceInfo>(result.Objects[1].Value);
        Assert.Equal(IPAddress.Parse("10.96.1.20"), Assert.Single(service.ClusterIPs));
        Assert.Equal(6, result.Objects[1].Line);
    }

    [Fact]
    public void Parse_KindList_ReadsItems()
    {
        var result = ManifestParser.Parse("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Service
              metadata: {name: a, namespace: x}
              spec: {clusterIP: 10.96.0.1}
            - apiVersion: apps/v1
              kind: Deployment
              metadata: {name: d}
            - apiVersion: discovery.k8s.io/v1
              kind: EndpointSlice
              metadata:
                name: a-1
                namespace: x
                labels: {kubernetes.io/service-name: a}
              addressType: IPv4
              endpoints:
              - addresses: [10.244.0.1]
            """);

        Assert.Null(result.Error);
        Assert.Equal([new ObjectKey("x", "a"), new ObjectKey("x", "a-1")], result.Objects.Select(o => o.Key));
        Assert.Equal(11, result.Objects[1].Line);
        var slice = Assert.IsType<EndpointSliceInfo>(result.Objects[1].Value);
        Assert.Equal("a", slice.ServiceName);
        Assert.Equal("Deployment", Assert.Single(result.Ignored).Kind);
    }

    [Fact]
    public void Parse_UnknownKinds_AreIgnoredWithTheirLine()
    {
        var result = ManifestParser.Parse(Manifest.Docs(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}",
            "apiVersion: example.com/v1\nkind: Service\nmetadata: {name: not-core}",
            Manifest.Namespace("kept")));

        Assert.Null(result.Error);
        Assert.Equal(new ObjectKey(string.Empty, "kept"), Assert.Single(result.Objects).Key);
        Assert.Equal(
            [("v1", "ConfigMap", 1), ("apps/v1", "Deployment", 6), ("example.com/v1", "Service", 10)],
            result.Ignored.Select(i => (i.ApiVersion, i.Kind, i.Line)));
    }

    [Fact]
    public void Parse_EmptyAndCommentOnlyDocuments_AreSkipped()
    {
        var result = ManifestParser.Parse("# only a comment\n---\n---\n# another\n" + Manifest.Namespace("a") + "\n---\n");

        Assert.Null(result.Error);
        Assert.Single(result.Objects);
        Assert.Empty(ManifestParser.Parse(string.Empty).Objects);
    }

    [Fact]
    public void Parse_Json_ReadsObjectsIncludingTabIndentation()
    {
        var result = ManifestParser.Parse(
            "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Service\",\n\t\"metadata\": {\"name\": \"j\", \"namespace\": \"n\"},\n" +
            "\t\"spec\": {\"clusterIPs\": [\"10.96.0.7\", \"fd00::7\"], \"ports\": [{\"port\": 53, \"protocol\": \"UDP\"}]}\n}\n");

        Assert.Null(result.Error);
        var service = Assert.IsType<ServiceInfo>(Assert.Single(result.Objects).Value);
        Assert.Equal(2, service.ClusterIPs.Count);
        Assert.Equal("UDP", Assert.Single(service.Ports).Protocol);
    }

    /// <summary>As a YAML deserialiser reads by the model: a number where a string belongs, a quoted number where a number does.</summary>
    [Fact]
    public void ParseTree_ScalarsOfTheOtherType_AreReadAsTheModelWantsThem()
    {
        var result = ManifestParser.ParseTree("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop, labels: {version: 1.0}}
            spec:
              clusterIP: 10.96.0.1
              selector: {tier: 2}
              ports:
              - {name: 8080, port: "80"}
            """);

        Assert.Null(result.Error);
        var service = Assert.IsType<ServiceInfo>(Assert.Single(result.Objects).Value);
        Assert.Equal("2", service.Selector!["tier"]);
        var port = Assert.Single(service.Ports);
        Assert.Equal("8080", port.Name);
        Assert.Equal(80, port.Port);
    }

    [Fact]
    public void Parse_MissingNamespace_DefaultsToDefault()
    {
        var result = ManifestParser.Parse("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {clusterIP: 10.96.0.9}\n");

        Assert.Equal(new ObjectKey("default", "s"), Assert.Single(result.Objects).Key);
    }

    [Fact]
    public void Parse_YamlSyntaxError_ReportsLineAndNoObjects()
    {
        var result = ManifestParser.Parse(Manifest.Namespace("a") + "\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n    namespace: b\n");

        Assert.NotNull(result.Error);
        Assert.Equal(10, result.Error.Line);
        Assert.Empty(result.Objects);
        Assert.DoesNotContain("Idx:", result.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongValueType_ReportsTheLineAndFieldOfTheValue()
    {
        var result = ManifestParser.Parse("""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            # a comment shifts lines, so the line must come from the original text
            spec:
              clusterIP: 10.96.0.1
              ports:
              - name: http
                port: 80
              - name: https
                port: not-a-number
            """);

        Assert.NotNull(result.Error);
        Assert.Equal(12, result.Error.Line);
        Assert.Contains("Service web", result.Error.Reason, StringComparison.Ordinal);
        Assert.Contains("spec.ports[1].port", result.Error.Reason, StringComparison.Ordinal);
        Assert.Contains("not-a-number", result.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidIP_ReportsTheObjectStartLineAndField()
    {
        var result = ManifestParser.Parse(Manifest.Namespace("a") + "\n---\n" + Manifest.Service("a", "bad", "10.96.0.300"));

        Assert.NotNull(result.Error);
        Assert.Equal(6, result.Error.Line);
        Assert.Contains("Service bad", result.Error.Reason, StringComparison.Ordinal);
        Assert.Contains("10.96.0.300", result.Error.Reason, StringComparison.Ordinal);
        Assert.Empty(result.Objects);
    }

    [Fact]
    public void Parse_MissingName_ReportsTheObjectStartLine()
    {
        var result = ManifestParser.Parse("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {namespace: x}\n");

        Assert.NotNull(result.Error);
        Assert.Equal(4, result.Error.Line);
        Assert.Contains("metadata.name", result.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidPodIP_ReportsTheField()
    {
        var result = ManifestParser.Parse(Manifest.Pod("x", "p", "app", "10.244.1"));

        Assert.NotNull(result.Error);
        Assert.Equal(1, result.Error.Line);
        Assert.Contains("Pod p", result.Error.Reason, StringComparison.Ordinal);
        Assert.Contains("status.podIP", result.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EndpointWithoutAddresses_IsAnErrorNotACrash()
    {
        var result = ManifestParser.Parse("""
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: s}
            addressType: IPv4
            endpoints:
            - conditions: {ready: true}
            """);

        Assert.NotNull(result.Error);
        Assert.Equal(1, result.Error.Line);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [~]\n", "spec.ports has an empty item")]
    [InlineData("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: s}\naddressType: IPv4\nendpoints: [~]\n", "endpoints has an empty item")]
    [InlineData("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: s}\naddressType: IPv4\nports: [~]\n", "ports has an empty item")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus:\n  podIPs: [~]\n", "status.podIPs has an empty item")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus:\n  conditions: [~]\n", "status.conditions has an empty item")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [~]\n", "spec.containers has an empty item")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    ports: [~]\n", "spec.containers[].ports has an empty item")]
    public void Parse_NullListItem_IsAnErrorNamingTheField(string content, string reason)
    {
        var result = ManifestParser.Parse(content);

        Assert.NotNull(result.Error);
        Assert.Equal(1, result.Error.Line);
        Assert.Contains(reason, result.Error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spec.ports", 20_001)]
    [InlineData("ports", 20_001)]
    [InlineData("endpoints", 1_001)]
    [InlineData("endpoints[].addresses", 101)]
    public void Parse_ListLongerThanTheApiServerAccepts_IsAnErrorNamingTheField(string field, int count)
    {
        var result = ManifestParser.Parse(Oversized(field, count));

        Assert.NotNull(result.Error);
        Assert.Equal(1, result.Error.Line);
        Assert.Contains($"{field} has {count:N0} items, more than the {count - 1:N0}", result.Error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spec.ports", 20_000)]
    [InlineData("endpoints", 1_000)]
    [InlineData("endpoints[].addresses", 100)]
    public void Parse_ListAtTheApiServersLimit_IsRead(string field, int count)
    {
        var result = ManifestParser.Parse(Oversized(field, count));

        Assert.Null(result.Error);
        Assert.Single(result.Objects);
    }

    private static string Oversized(string field, int count)
    {
        var items = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++)
        {
            items.Append(i == 0 ? string.Empty : ", ").Append(field switch
            {
                "spec.ports" or "ports" => $"{{port: {1 + (i % 65535)}, name: p{i}}}",
                "endpoints" => $"{{addresses: [10.{i >> 16}.{(i >> 8) & 255}.{i & 255}]}}",
                _ => $"10.0.{i >> 8}.{i & 255}",
            });
        }

        return field switch
        {
            "spec.ports" => $"apiVersion: v1\nkind: Service\nmetadata: {{name: a}}\nspec:\n  ports: [{items}]\n",
            "ports" => $"apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: s}}\naddressType: IPv4\nports: [{items}]\n",
            "endpoints" => $"apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: s}}\naddressType: IPv4\nendpoints: [{items}]\n",
            _ => $"apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: s}}\naddressType: IPv4\nendpoints: [{{addresses: [{items}]}}]\n",
        };
    }

    [Theory]
    [InlineData("metadata: {name: Bad_Name}\nspec: {clusterIP: 10.96.0.1}", "not a valid Service name")]
    [InlineData("metadata: {name: 1abc}\nspec: {clusterIP: 10.96.0.1}", "not a valid Service name")]
    [InlineData("metadata: {name: ok, namespace: Not_Valid}\nspec: {clusterIP: 10.96.0.1}", "not a valid namespace name")]
    [InlineData("metadata: {name: ext}\nspec: {type: ExternalName, externalName: a..b}", "is not a DNS name")]
    [InlineData("metadata: {name: ext}\nspec: {type: ExternalName}", "is not a DNS name")]
    public void Parse_NamesThatCannotBeInDns_AreErrors(string body, string reason)
    {
        var result = ManifestParser.Parse("apiVersion: v1\nkind: Service\n" + body + "\n");

        Assert.NotNull(result.Error);
        Assert.Contains(reason, result.Error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kind: Service\nmetadata: {name: a}\n", "apiVersion is missing")]
    [InlineData("apiVersion: v1\nmetadata: {name: a}\n", "kind is missing")]
    [InlineData("- just\n- a list\n", "expected an object")]
    public void Parse_DocumentWithoutIdentity_IsAnError(string content, string reason)
    {
        var result = ManifestParser.Parse(content);

        Assert.NotNull(result.Error);
        Assert.Equal(1, result.Error.Line);
        Assert.Contains(reason, result.Error.Reason, StringComparison.Ordinal);
    }
}
