using System.Text;
using KubeDns.Cluster.Kubernetes;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>The watch response split into lines, each bounded: a line over the bound is dropped (null), never buffered whole.</summary>
public sealed class WatchLinesTests
{
    [Fact]
    public async Task Lines_SplitAcrossReads_AreWhole_AndALastLineWithoutNewlineCounts()
    {
        var lines = await Read(new TrickleStream(Encoding.UTF8.GetBytes("{\"a\":1}\n\n{\"b\":22}\n{\"c\":3}"), chunk: 3), max: 100);

        Assert.Equal(["{\"a\":1}", "", "{\"b\":22}", "{\"c\":3}"], lines);
    }

    [Fact]
    public async Task ALineOverTheBound_IsDropped_AndTheNextOneRead()
    {
        var text = "short\n" + new string('x', 5000) + "\nafter\n" + new string('y', 5000);

        var lines = await Read(new TrickleStream(Encoding.UTF8.GetBytes(text), chunk: 700), max: 1000);

        Assert.Equal(["short", null, "after", null], lines);
    }

    private static async Task<List<string?>> Read(Stream stream, int max)
    {
        var lines = new List<string?>();
        await foreach (var line in WatchLines.ReadAsync(stream, CancellationToken.None, max))
        {
            lines.Add(line is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : null);
        }

        return lines;
    }

    /// <summary>A stream that hands out at most <c>chunk</c> bytes a read, as a network stream does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
