using KubeDns.Cluster.Manifests;
using KubeDns.Cluster.Model;
using KubeDns.Cluster.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace KubeDns.Cluster.Tests.Manifests;

/// <summary>Changes on disk after start-up reach the sink within a second, as one batch of real changes.</summary>
public sealed class ManifestSourceWatchTests
{
    // The promise is one second (debounce: 200 ms quiet, at most 800 ms after the first event). The deadline
    // leaves slack for a loaded 2-core CI machine, where a thread-pool timer can fire late; it still fails
    // on a lost event.
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(4);

    /// <summary>
    /// KubernetesYaml's one-time set-up (0.5-2 s of reflection, paid at start-up whenever a file exists) is not
    /// part of the per-change budget; tests that start from an empty folder would otherwise measure it.
    /// </summary>
    public ManifestSourceWatchTests() => ManifestParser.WarmUp();

    [Fact]
    public async Task Edit_ChangedObject_IsDeliveredAloneWithinASecond()
    {
        using var folder = new TempFolder();
        var file = folder.Write("a.yaml", Manifest.Docs(Manifest.Service("x", "a", "10.96.0.1"), Manifest.Service("x", "b", "10.96.0.2")));
        await using var harness = await SourceHarness.StartAsync(folder.Path);

        File.WriteAllText(file, Manifest.Docs(Manifest.Service("x", "a", "10.96.0.1"), Manifest.Service("x", "b", "10.96.0.99")));

        await Eventually.True(() => harness.Sink.Service("x", "b")?.ClusterIPs[0].ToString() == "10.96.0.99", Second, "the edit");
        var change = Assert.Single(harness.Sink.Batches[^1]);
        Assert.Equal(new ObjectKey("x", "b"), change.Key);
    }

    [Fact]
    public async Task NewFile_InANewSubfolder_AddsItsObjectsWithinASecond()
    {
        using var folder = new TempFolder();
        await using var harness = await SourceHarness.StartAsync(folder.Path);

        folder.Write("team/new.yaml", Manifest.Service("x", "new", "10.96.0.3"));

        await Eventually.True(() => harness.Sink.Service("x", "new") is not null, Second, "the new file");
        Assert.True(harness.Sink.HasNamespace("x"));
    }

    [Fact]
    public async Task DeletedFile_RemovesItsObjectsAndTheNamespaceOnlyItReferenced()
    {
        using var folder = new TempFolder();
        folder.Write("keep.yaml", Manifest.Service("kept", "k", "10.96.0.1"));
        var doomed = folder.Write("doomed.yaml", Manifest.Service("doomed", "d", "10.96.0.2"));
        await using var harness = await SourceHarness.StartAsync(folder.Path);
        Assert.True(harness.Sink.HasNamespace("doomed"));

        File.Delete(doomed);

        await Eventually.True(() => harness.Sink.Service("doomed", "d") is null, Second, "the deletion");
        Assert.False(harness.Sink.HasNamespace("doomed"));
        Assert.True(harness.Sink.HasNamespace("kept"));
        Assert.All(harness.Sink.Batches[^1], change => Assert.True(change.IsDelete));
    }

    [Fact]
    public async Task BrokenEdit_KeepsLastGoodContent_AndTheFixIsPickedUp()
    {
        using var folder = new TempFolder();
        var file = folder.Write("a.yaml", Manifest.Service("x", "s", "10.96.0.1"));
        await using var harness = await SourceHarness.StartAsync(folder.Path);

        File.WriteAllText(file, Manifest.Service("x", "s", "10.96.0.1") + "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: t}\nspec: {clusterIP: nope}\n");

        await Eventually.True(() => harness.Source.FileErrors.ContainsKey(file), Second, "the error");
        Assert.Contains("line 12:", harness.Source.FileErrors[file], StringComparison.Ordinal);
        var error = Assert.Single(harness.Logger.At(LogLevel.Error));
        Assert.Contains("keeping its last good content", error, StringComparison.Ordinal);
        Assert.NotNull(harness.Sink.Service("x", "s"));
        Assert.Single(harness.Sink.Batches);

        File.WriteAllText(file, Manifest.Docs(Manifest.Service("x", "s", "10.96.0.1"), Manifest.Service("x", "t", "10.96.0.2")));

        await Eventually.True(() => harness.Sink.Service("x", "t") is not null, Second, "the fix");
        Assert.Empty(harness.Source.FileErrors);
    }

    [Fact]
    public async Task EditorStyleSave_WriteTempThenRename_IsPickedUp()
    {
        using var folder = new TempFolder();
        var file = folder.Write("a.yaml", Manifest.Service("x", "s", "10.96.0.1"));
        await using var harness = await SourceHarness.StartAsync(folder.Path);

        var temp = folder.Write(".a.yaml.swp", Manifest.Service("x", "s", "10.96.0.42"));
        File.Move(temp, file, overwrite: true);

        await Eventually.True(() => harness.Sink.Service("x", "s")?.ClusterIPs[0].ToString() == "10.96.0.42", Second, "the rename");
    }

    [Fact]
    public async Task SingleFileRoot_ReplacedByRename_IsPickedUp()
    {
        using var folder = new TempFolder();
        var file = folder.Write("only.yaml", Manifest.Service("x", "s", "10.96.0.1"));
        await using var harness = await SourceHarness.StartAsync(file);

        var temp = folder.Write("only.yaml.tmp", Manifest.Service("x", "s", "10.96.0.7"));
        File.Move(temp, file, overwrite: true);

        await Eventually.True(() => harness.Sink.Service("x", "s")?.ClusterIPs[0].ToString() == "10.96.0.7", Second, "the replacement");
    }

    [Fact]
    public async Task PodBecomesReady_DerivedEndpointsFollow()
    {
        using var folder = new TempFolder();
        folder.Write("svc.yaml", Manifest.Service("x", "web", "10.96.0.1", selectorApp: "web"));
        var pod = folder.Write("pod.yaml", Manifest.Pod("x", "web-1", "web", "10.244.0.1", ready: false));
        await using var harness = await SourceHarness.StartAsync(folder.Path);
        Assert.False(harness.Sink.Slice("x", "web-derived")!.Endpoints[0].Ready);

        File.WriteAllText(pod, Manifest.Pod("x", "web-1", "web", "10.244.0.1", ready: true));

        await Eventually.True(() => harness.Sink.Slice("x", "web-derived")!.Endpoints[0].Ready, Second, "the ready pod");
        Assert.Equal([ObjectKind.EndpointSlice, ObjectKind.Pod], harness.Sink.Batches[^1].Select(c => c.Kind));
    }

    [Fact]
    public async Task ExplicitSliceAdded_ReplacesDerivedEndpoints()
    {
        using var folder = new TempFolder();
        folder.Write("svc.yaml", Manifest.Docs(
            Manifest.Service("x", "web", "10.96.0.1", selectorApp: "web"),
            Manifest.Pod("x", "web-1", "web", "10.244.0.1")));
        await using var harness = await SourceHarness.StartAsync(folder.Path);
        Assert.NotNull(harness.Sink.Slice("x", "web-derived"));

        folder.Write("slice.yaml", """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-manual
              namespace: x
              labels: {kubernetes.io/service-name: web}
            addressType: IPv4
            endpoints:
            - addresses: [10.244.9.9]
            """);

        await Eventually.True(() => harness.Sink.Slice("x", "web-manual") is not null, Second, "the explicit slice");
        Assert.Null(harness.Sink.Slice("x", "web-derived"));
    }

    [Fact]
    public async Task ManyWritesInABurst_ArriveAsFewBatches()
    {
        using var folder = new TempFolder();
        await using var harness = await SourceHarness.StartAsync(folder.Path);

        for (var i = 0; i < 20; i++)
        {
            folder.Write($"ns-{i:D2}.yaml", Manifest.Namespace($"ns-{i:D2}"));
        }

        await Eventually.True(() => harness.Sink.Keys(ObjectKind.Namespace).Count == 20, Second, "all 20 files");
        Assert.True(harness.Sink.Batches.Count <= 3, $"{harness.Sink.Batches.Count} batches");
    }

    [Fact]
    public async Task MountedConfigMapUpdate_SymlinkSwap_IsPickedUpWithoutDuplicates()
    {
        // The kubelet's layout: files are links through ..data, which points at a hidden timestamped folder;
        // an update writes a new folder and swaps ..data by renaming a new link over it.
        using var folder = new TempFolder();
        folder.Write("..v1/a.yaml", Manifest.Service("x", "s", "10.96.0.1"));
        Directory.CreateSymbolicLink(folder.File("..data"), "..v1");
        File.CreateSymbolicLink(folder.File("a.yaml"), "..data/a.yaml");
        await using var harness = await SourceHarness.StartAsync(folder.Path);
        Assert.Empty(harness.Logger.At(LogLevel.Warning));
        Assert.Equal("10.96.0.1", harness.Sink.Service("x", "s")!.ClusterIPs[0].ToString());

        folder.Write("..v2/a.yaml", Manifest.Service("x", "s", "10.96.0.2"));
        Directory.CreateSymbolicLink(folder.File("..data_tmp"), "..v2");
        Rename(folder.File("..data_tmp"), folder.File("..data"));

        await Eventually.True(() => harness.Sink.Service("x", "s")?.ClusterIPs[0].ToString() == "10.96.0.2", Second, "the ConfigMap update");
    }

    /// <summary>rename(2), which replaces a link atomically; File.Move would follow the link to its folder.</summary>
    private static void Rename(string from, string to)
    {
        using var mv = System.Diagnostics.Process.Start("mv", ["-T", from, to]);
        mv.WaitForExit();
        Assert.Equal(0, mv.ExitCode);
    }
}
