using KubeDns.Cluster;
using KubeDns.Cluster.Manifests;

namespace KubeDns.Cluster.Tests.TestSupport;

/// <summary>A started <see cref="ManifestSource"/> with a recording sink and logger.</summary>
internal sealed class SourceHarness : IAsyncDisposable
{
    private SourceHarness(params string[] paths)
    {
        Source = new ManifestSource(paths, Sink, Sync, Logger, TimeProvider.System);
    }

    public RecordingSink Sink { get; } = new();

    public RecordingLogger<ManifestSource> Logger { get; } = new();

    public ClusterSyncState Sync { get; } = new();

    public ManifestSource Source { get; }

    public static async Task<SourceHarness> StartAsync(params string[] paths)
    {
        var harness = new SourceHarness(paths);
        try
        {
            await harness.Source.StartAsync(CancellationToken.None);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Source.StopAsync(CancellationToken.None);
        Source.Dispose();
    }
}
