using KubeDns.Cluster.Manifests;
using KubeDns.Cluster.Tests.TestSupport;

namespace KubeDns.Cluster.Tests.Manifests;

/// <summary>
/// The tree-less reader against the tree parser as oracle: the same objects, lines and ignored documents for
/// every file it takes, and no answer at all (so the tree parser's) for every file it does not.
/// </summary>
public sealed class ManifestFastPathTests
{
    public static TheoryData<string> DemoFiles() =>
        [.. Directory.GetFiles(DemoManifestsTests.FindDemoFolder(), "*.yaml").Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(DemoFiles))]
    public void EachDemoFile_IsReadWithoutTheTree_ExactlyAsTheTreeReadsIt_ButAList(string path)
    {
        var content = File.ReadAllText(path);

        var fast = ManifestFastPath.TryParse(content);

        if (content.Contains("\nkind: List", StringComparison.Ordinal))
        {
            Assert.Null(fast);
            return;
        }

        Assert.NotNull(fast);
        AssertSame(ManifestParser.ParseTree(content), fast);
    }

    [Theory]
    [InlineData("# header\r\n---\r\n--- # a comment\r\napiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: a\r\n---\napiVersion: \"v1\"\nkind: 'Service' # trailing\nmetadata: {name: s, namespace: a}\nspec: {clusterIP: 10.96.0.9, ports: [{name: \"80\", port: 80, targetPort: web}]}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n...\n")]
    [InlineData("{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"s\", \"labels\": {\"a\": \"true\"}}, \"spec\": {\"clusterIP\": \"None\", \"ports\": [{\"port\": 53, \"targetPort\": 5353}]}}")]
    [InlineData("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s-1\n  labels: {kubernetes.io/service-name: s}\naddressType: IPv4\nports:\n- {name: web, port: 8080, protocol: TCP}\nendpoints:\n- addresses: [10.244.0.5]\n  conditions: {ready: true}\n  hostname: web-0\n  nodeName: node1\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: n\n  annotations:\n    note: |\n      two\n      lines\nstatus: {podIP: 10.244.0.7, phase: Running}\n")]
    public void CommentsSeparatorsCrLfQuotingFlowJsonAndBlockScalars_AreReadAsTheTreeReadsThem(string content)
    {
        var fast = ManifestFastPath.TryParse(content);

        Assert.NotNull(fast);
        Assert.NotEmpty(fast.Objects);
        AssertSame(ManifestParser.ParseTree(content), fast);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: List\nitems: []\n")]
    [InlineData("apiVersion: v1\nkind: Namespace\nmetadata: &m {name: a}\n")]
    [InlineData("apiVersion: v1\nkind: Namespace\nmetadata: !!map {name: a}\n")]
    [InlineData("apiVersion: v1\nkind: Namespace\nkind: Service\nmetadata: {name: a}\n")]
    [InlineData("apiVersion: v1\nmetadata: {name: a}\n")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {clusterIP: 10.96.0.9, ports: [{port: x}]}\n")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {name: 0x1F}\n")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {name: True}\n")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {name: 80}\n")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n    namespace: b\n")]
    [InlineData("- just\n- a list\n")]
    public void OtherShapes_AndEveryError_AreLeftToTheTree(string content) =>
        Assert.Null(ManifestFastPath.TryParse(content));

    [Fact]
    public void AFileAfterOneWithADocumentOverTheKeptBuffer_IsReadAsTheTreeReadsIt()
    {
        // A slice whose JSON outgrows the buffer kept between files (1 MiB), then small files on the same thread:
        // the buffer is replaced, not reused half-written.
        var endpoints = string.Concat(Enumerable.Range(0, 1000).Select(i => $"- addresses: [10.244.{i / 250}.{i % 250}]\n  hostname: h{i}\n  nodeName: {new string('n', 1100)}\n"));
        var big = $"apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s-1\n  labels: {{kubernetes.io/service-name: s}}\naddressType: IPv4\nendpoints:\n{endpoints}";
        var small = Manifest.Service("prod", "web", "10.96.1.20");

        foreach (var content in new[] { small, big, small, big + "---\n" + small })
        {
            var fast = ManifestFastPath.TryParse(content);
            Assert.NotNull(fast);
            AssertSame(ManifestParser.ParseTree(content), fast);
        }
    }

    private static void AssertSame(ManifestParseResult expected, ManifestParseResult actual)
    {
        Assert.Null(expected.Error);
        Assert.Equal(expected.Objects, actual.Objects);
        Assert.Equal(expected.Ignored, actual.Ignored);
    }
}
