using KubeDns.Cluster.Kubernetes;
using KubeDns.Cluster.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>Hands every category the same recording logger, so a test sees ApiSource's and the informers' lines in order.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    public RecordingLogger<ApiSource> Logger { get; } = new();

    public IReadOnlyList<string> Warnings => Logger.At(LogLevel.Warning);

    /// <summary>Log lines (any level) that contain every one of <paramref name="parts"/>.</summary>
    public int Count(params string[] parts) =>
        Logger.Entries.Count(entry => parts.All(part => entry.Message.Contains(part, StringComparison.Ordinal)));

    public ILogger CreateLogger(string categoryName) => Logger;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
