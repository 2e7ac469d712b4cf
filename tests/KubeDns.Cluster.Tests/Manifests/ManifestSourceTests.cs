using KubeDns.Cluster.Manifests;
using KubeDns.Cluster.Model;
using KubeDns.Cluster.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace KubeDns.Cluster.Tests.Manifests;

/// <summary>Start-up behaviour: what the first batch holds, and how bad files are reported.</summary>
public sealed class ManifestSourceTests
{
    [Fact]
    public async Task StartAsync_FolderTree_DeliversEverythingInOneBatchThenMarksSynced()
    {
        using var folder = new TempFolder();
        folder.Write("a.yaml", Manifest.Namespace("prod"));
        folder.Write("sub/deeper/b.yml", Manifest.Service("prod", "web", "10.96.1.20"));
        folder.Write("c.json", """{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "json"}}""");
        folder.Write("notes.txt", Manifest.Namespace("ignored-extension"));
        folder.Write(".hidden.yaml", Manifest.Namespace("ignored-hidden"));

        await using var harness = await SourceHarness.StartAsync(folder.Path);

        var batch = Assert.Single(harness.Sink.Batches);
        Assert.All(batch, change => Assert.False(change.IsDelete));
        Assert.True(harness.Sync.AllSynced);
        Assert.Equal(["json", "prod"], harness.Sink.Keys(ObjectKind.Namespace).Select(k => k.Name));
        Assert.NotNull(harness.Sink.Service("prod", "web"));
        Assert.Empty(harness.Source.FileErrors);
    }

    [Fact]
    public async Task StartAsync_LinkedFolders_AreNotEnteredButLinkedFilesAreRead()
    {
        using var folder = new TempFolder();
        folder.Write("real/a.yaml", Manifest.Namespace("a"));
        using var outside = new TempFolder();
        outside.Write("b.yaml", Manifest.Namespace("outside"));
        Directory.CreateSymbolicLink(folder.File("real/loop"), folder.Path);
        Directory.CreateSymbolicLink(folder.File("linked"), outside.Path);
        File.CreateSymbolicLink(folder.File("file-link.yaml"), outside.File("b.yaml"));

        await using var harness = await SourceHarness.StartAsync(folder.Path);

        Assert.Equal(["a", "outside"], harness.Sink.Keys(ObjectKind.Namespace).Select(k => k.Name));
        Assert.Empty(harness.Logger.At(LogLevel.Warning));
    }

    [Fact]
    public async Task StartAsync_SingleFilePath_ReadsItWhateverItsExtension()
    {
        using var folder = new TempFolder();
        var file = folder.Write("cluster.manifest", Manifest.Namespace("one"));
        folder.Write("other.yaml", Manifest.Namespace("not-configured"));

        await using var harness = await SourceHarness.StartAsync(file);

        Assert.Equal(["one"], harness.Sink.Keys(ObjectKind.Namespace).Select(k => k.Name));
    }

    [Fact]
    public async Task StartAsync_MissingPath_ThrowsNamingThePath()
    {
        using var folder = new TempFolder();
        var missing = folder.File("nope");

        var ex = await Assert.ThrowsAnyAsync<IOException>(() => SourceHarness.StartAsync(folder.Path, missing));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_EmptyFolder_DeliversAnEmptyBatchAndSyncs()
    {
        using var folder = new TempFolder();

        await using var harness = await SourceHarness.StartAsync(folder.Path);

        Assert.Empty(Assert.Single(harness.Sink.Batches));
        Assert.True(harness.Sync.AllSynced);
        Assert.Empty(harness.Sync.Pending);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n    namespace: b\n", 5, "found invalid mapping")]
    [InlineData("apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  clusterIP: 10.96.0.999\n", 5, "10.96.0.999")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - port: eighty\n", 6, "spec.ports[0].port")]
    [InlineData("apiVersion: v1\nkind: Namespace\nmetadata: {labels: {a: b}}\n", 1, "metadata.name is required")]
    public async Task StartAsync_BadFile_LogsOneErrorWithPathAndLineAndContributesNothing(string content, int line, string reason)
    {
        using var folder = new TempFolder();
        var bad = folder.Write("bad.yaml", content);
        folder.Write("good.yaml", Manifest.Namespace("good"));

        await using var harness = await SourceHarness.StartAsync(folder.Path);

        var error = Assert.Single(harness.Logger.At(LogLevel.Error));
        Assert.StartsWith($"{bad}:{line}: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Equal($"line {line}", harness.Source.FileErrors[bad].Split(':')[0]);
        Assert.Equal(["good"], harness.Sink.Keys(ObjectKind.Namespace).Select(k => k.Name));
        Assert.True(harness.Sync.AllSynced);
    }

    [Fact]
    public async Task StartAsync_UnknownKinds_AreIgnoredWithADebugLog()
    {
        using var folder = new TempFolder();
        folder.Write("app.yaml", Manifest.Docs("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}", Manifest.Namespace("x")));

        await using var harness = await SourceHarness.StartAsync(folder.Path);

        Assert.Empty(harness.Logger.At(LogLevel.Error));
        Assert.Contains(harness.Logger.At(LogLevel.Debug), m => m.Contains("apps/v1 Deployment", StringComparison.Ordinal));
        Assert.Equal(["x"], harness.Sink.Keys(ObjectKind.Namespace).Select(k => k.Name));
    }

    [Fact]
    public async Task StartAsync_ReferencedButUndeclaredNamespace_IsDelivered()
    {
        using var folder = new TempFolder();
        folder.Write("a.yaml", Manifest.Docs(
            Manifest.Namespace("declared"),
            Manifest.Service("declared", "s", "10.96.0.1"),
            Manifest.Service("only-referenced", "s", "10.96.0.2"),
            Manifest.Pod("pods-only", "p", "x", "10.244.0.1")));

        await using var harness = await SourceHarness.StartAsync(folder.Path);

        Assert.Equal(["declared", "only-referenced", "pods-only"], harness.Sink.Keys(ObjectKind.Namespace).Select(k => k.Name));
    }

    [Fact]
    public async Task StartAsync_SameObjectInTwoFiles_LaterPathWinsWithAWarning()
    {
        using var folder = new TempFolder();
        var first = folder.Write("a.yaml", Manifest.Service("x", "s", "10.96.0.1"));
        var second = folder.Write("b.yaml", Manifest.Service("x", "s", "10.96.0.2"));

        await using var harness = await SourceHarness.StartAsync(folder.Path);

        Assert.Equal("10.96.0.2", harness.Sink.Service("x", "s")!.ClusterIPs[0].ToString());
        var warning = Assert.Single(harness.Logger.At(LogLevel.Warning));
        Assert.Contains(first, warning, StringComparison.Ordinal);
        Assert.Contains(second, warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ServiceWithSelector_GetsDerivedEndpoints()
    {
        using var folder = new TempFolder();
        folder.Write("web.yaml", Manifest.Docs(
            Manifest.Service("x", "web", "10.96.0.1", selectorApp: "web"),
            Manifest.Pod("x", "web-1", "web", "10.244.0.1"),
            Manifest.Pod("x", "web-2", "web", "10.244.0.2", ready: false),
            Manifest.Pod("x", "other", "other", "10.244.0.3")));

        await using var harness = await SourceHarness.StartAsync(folder.Path);

        var slice = harness.Sink.Slice("x", "web-derived");
        Assert.NotNull(slice);
        Assert.Equal([("web-1", true), ("web-2", false)], slice.Endpoints.Select(e => (e.PodName!, e.Ready)));
    }

    [Fact]
    public void Constructor_NoPaths_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            new ManifestSource([], new RecordingSink(), new ClusterSyncState(), new RecordingLogger<ManifestSource>(), TimeProvider.System));
    }
}
