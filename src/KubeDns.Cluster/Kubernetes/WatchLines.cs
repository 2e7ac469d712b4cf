using System.Buffers;
using System.Runtime.CompilerServices;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// The lines of a watch response, each at most <see cref="MaxLineBytes"/>: an API server (or a proxy in front of
/// it) that sends a line without end must not grow the buffer without bound. A longer line is read to its end
/// and dropped, its place in the sequence marked by null, so the caller can report it.
/// </summary>
internal static class WatchLines
{
    /// <summary>
    /// etcd refuses objects over 1.5 MiB by default (--max-request-bytes) and the API server requests over 3 MiB;
    /// an event line is its object plus a few bytes, so 16 MiB is generous and still bounded.
    /// </summary>
    public const int MaxLineBytes = 16 << 20;

    public static async IAsyncEnumerable<ReadOnlyMemory<byte>?> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct, int maxLineBytes = MaxLineBytes)
    {
        var line = new ArrayBufferWriter<byte>(4096);
        var chunk = new byte[64 * 1024];
        var dropping = false;
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            var rest = chunk.AsMemory(0, read);
            while (rest.Span.IndexOf((byte)'\n') is var end and >= 0)
            {
                if (!dropping && line.WrittenCount + end <= maxLineBytes)
                {
                    line.Write(rest.Span[..end]);
                    yield return line.WrittenMemory;
                }
                else
                {
                    yield return null;
                }

                line.Clear();
                dropping = false;
                rest = rest[(end + 1)..];
            }

            if (dropping || line.WrittenCount + rest.Length > maxLineBytes)
            {
                // Too long already: forget what was buffered and skip to the next newline.
                dropping = true;
                line.Clear();
            }
            else
            {
                line.Write(rest.Span);
            }
        }

        if (dropping)
        {
            yield return null;
        }
        else if (line.WrittenCount > 0)
        {
            yield return line.WrittenMemory; // a last line without its newline
        }
    }
}
