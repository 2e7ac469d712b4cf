using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using KubeDns.Cluster.Ingest;
using KubeDns.Cluster.Kubernetes;
using KubeDns.Cluster.Wire;
using KubeDns.Cluster.Tests.TestSupport;
using KubeDns.Testing.FakeApi;
using static KubeDns.Cluster.Tests.Kubernetes.ApiObjects;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>
/// The streaming list reader against KubernetesClient's typed list operations as oracle (the same objects and
/// list metadata, page by page, from the fake API server; each typed item is carried to the server's wire model
/// through KubernetesClient's own JSON, whose field paths WireModelTests holds to the wire model), and on its own
/// over JSON arriving a few bytes at a time: members in any order, unknown members skipped, bad JSON an error.
/// </summary>
public sealed class ListStreamTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private FakeApiServer? _server;
    private k8s.Kubernetes? _client;
    private ApiClient? _api;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartNewAsync();
        var kubeconfig = _server.WriteKubeconfig(_folder.Path);
        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        _api = new ApiClient(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        _api?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task EveryPage_ReadsTheObjectsAndMetadataTheTypedListReads()
    {
        for (var i = 0; i < 7; i++)
        {
            _server!.Add(Service($"ns-{i % 2}", $"svc-{i}", $"10.96.0.{10 + i}", new Dictionary<string, string> { ["tier"] = i % 3 == 0 ? "front" : "back" }));
            _server.Add(Slice($"ns-{i % 2}", $"svc-{i}-abc", $"svc-{i}", $"10.244.0.{i}", $"10.244.1.{i}"));
            _server.Add(Pod($"ns-{i % 2}", $"pod-{i}", $"10.244.2.{i}"));
        }

        await AssertSameAsync(
            (token, limit) => _client!.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: token, limit: limit),
            list => (list.Items, list.Metadata), "api/v1/services", WireJson.Default.ServiceObject, ObjectStripper.Strip);
        await AssertSameAsync(
            (token, limit) => _client!.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(continueParameter: token, limit: limit),
            list => (list.Items, list.Metadata), "apis/discovery.k8s.io/v1/endpointslices", WireJson.Default.EndpointSliceObject, ObjectStripper.Strip);
        await AssertSameAsync(
            (token, limit) => _client!.CoreV1.ListPodForAllNamespacesAsync(continueParameter: token, limit: limit),
            list => (list.Items, list.Metadata), "api/v1/pods", WireJson.Default.PodObject, ObjectStripper.Strip);
    }

    [Fact]
    public async Task ALabelSelector_ReachesTheServer()
    {
        _server!.Add(Service("default", "a", "10.96.0.10", new Dictionary<string, string> { ["tier"] = "front" }));
        _server.Add(Service("default", "b", "10.96.0.11", new Dictionary<string, string> { ["tier"] = "back" }));

        var names = new List<string>();
        await ListStream.ReadPageAsync(_api!, "api/v1/services", ListStream.Query(null, "tier=front", 10), WireJson.Default.ServiceObject, s => names.Add(s.Metadata!.Name!), default);

        Assert.Equal(["a"], names);
    }

    [Fact]
    public async Task AnExpiredContinueToken_Throws410_AsTheTypedListDoes()
    {
        _server!.Add(Service("default", "a", "10.96.0.10"));
        _server.FailNextLists(ApiKind.Services, 1, 410);

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            ListStream.ReadPageAsync(_api!, "api/v1/services", ListStream.Query("stale", null, 10), WireJson.Default.ServiceObject, _ => { }, default));

        Assert.True(ApiFailure.IsExpired(error), error.ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task AListArrivingAFewBytesAtATime_InAnyMemberOrder_IsReadWhole(int bytesPerRead)
    {
        const string Json = """
            {"kind": "ServiceList", "extra": {"nested": [1, {"items": [2]}], "s": "}]"}, "items": [
              {"metadata": {"name": "a", "namespace": "default"}, "spec": {"clusterIP": "10.96.0.10"}},
              {"metadata": {"name": "b\u00e9", "namespace": "default"}, "spec": {"clusterIP": "10.96.0.11", "ports": [{"port": 53, "targetPort": "dns"}]}}
            ], "apiVersion": "v1", "metadata": {"resourceVersion": "42", "continue": "next"}}
            """;
        var names = new List<string>();

        var metadata = await ListStream.ReadAsync(new TrickleStream(Json, bytesPerRead), WireJson.Default.ServiceObject, s => names.Add(s.Metadata!.Name!), default);

        Assert.Equal(["a", "bé"], names);
        Assert.Equal("42", metadata.ResourceVersion);
        Assert.Equal("next", metadata.Continue);
    }

    [Theory]
    [InlineData("""{"metadata": {"resourceVersion": "7"}, "items": null}""", 0)]
    [InlineData("""{"items": []}""", 0)]
    [InlineData("""{}""", 0)]
    public async Task NoItems_IsAnEmptyPage(string json, int expected)
    {
        var count = 0;

        await ListStream.ReadAsync(new TrickleStream(json, 2), WireJson.Default.ServiceObject, _ => count++, default);

        Assert.Equal(expected, count);
    }

    [Theory]
    [InlineData("""{"items": [{"metadata": {"name": "a"}}""")]
    [InlineData("""[{"metadata": {"name": "a"}}]""")]
    [InlineData("""{"items": {"metadata": {"name": "a"}}}""")]
    [InlineData("""{"items": [{"metadata": {"name": 5}}]}""")]
    [InlineData("""{"items": []} {""")]
    [InlineData("")]
    public async Task JsonThatIsNotAWholeList_IsAJsonError(string json) =>
        await Assert.ThrowsAnyAsync<JsonException>(() => ListStream.ReadAsync(new TrickleStream(json, 3), WireJson.Default.ServiceObject, _ => { }, default));

    [Fact]
    public async Task AnItemLargerThanTheLimit_IsAJsonError_NotUnboundedMemory()
    {
        var json = "{\"items\": [{\"metadata\": {\"name\": \"a\", \"annotations\": {\"big\": \"" + new string('x', 300_000) + "\"}}}]}";

        var error = await Assert.ThrowsAsync<JsonException>(() =>
            ListStream.ReadAsync(new TrickleStream(json, 65536), WireJson.Default.ServiceObject, _ => { }, default, maxItemBytes: 256 << 10));

        Assert.Contains("a list item of more than", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Lists every page both ways (pages of 3) and compares the stripped objects and the list metadata.</summary>
    private async Task AssertSameAsync<TList, TTyped, TWire>(
        Func<string?, int, Task<TList>> typedList, Func<TList, (IList<TTyped> Items, V1ListMeta Metadata)> parts, string path,
        JsonTypeInfo<TWire> model, Func<TWire, object> strip)
        where TTyped : class, IKubernetesObject<V1ObjectMeta>
        where TWire : class, IWireObject
    {
        string? token = null;
        var pages = 0;
        do
        {
            var (expectedItems, expectedMetadata) = parts(await typedList(token, 3));
            var items = new List<TWire>();
            var metadata = await ListStream.ReadPageAsync(_api!, path, ListStream.Query(token, null, 3), model, items.Add, default);

            Assert.Equal(expectedItems.Select(typed => strip(JsonSerializer.Deserialize(KubernetesJson.Serialize(typed), model)!)), items.Select(strip));
            Assert.Equal(expectedMetadata.ResourceVersion, metadata.ResourceVersion);
            Assert.Equal(expectedMetadata.ContinueProperty, metadata.Continue);
            token = metadata.Continue;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(3, pages);
    }

    /// <summary>A stream handing out at most a few bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(string text, int bytesPerRead) : MemoryStream(Encoding.UTF8.GetBytes(text))
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, bytesPerRead)], cancellationToken);
    }
}
