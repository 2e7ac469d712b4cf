using System.Globalization;
using System.Text;

namespace KubeDns.Testing.FakeApi;

/// <summary>One line of a watch response, already encoded; <see cref="EndsStream"/> closes the response cleanly after it.</summary>
internal readonly record struct WatchFrame(byte[] Bytes, bool EndsStream);

/// <summary>
/// Encodes watch lines: <c>{"type":"ADDED","object":{"kind":..,"apiVersion":..,...}}\n</c>. Unlike list
/// items, watch event objects carry kind and apiVersion (as from the real server).
/// </summary>
internal static class WatchFrames
{
    private static readonly byte[] ObjectOpen = Encoding.UTF8.GetBytes("\",\"object\":{");
    private static readonly byte[] TypeOpen = Encoding.UTF8.GetBytes("{\"type\":\"");

    public static WatchFrame Event(KindInfo kind, string type, StoredObject item)
    {
        var typeBytes = Encoding.UTF8.GetBytes(type);

        // item.Json is {"metadata":...}: splice kind and apiVersion in after its opening brace.
        var body = item.Json.AsSpan(1);
        var line = new byte[TypeOpen.Length + typeBytes.Length + ObjectOpen.Length + kind.ObjectHeader.Length + 1 + body.Length + 2];
        var span = line.AsSpan();
        Append(ref span, TypeOpen);
        Append(ref span, typeBytes);
        Append(ref span, ObjectOpen);
        Append(ref span, kind.ObjectHeader);
        Append(ref span, ","u8);
        Append(ref span, body);
        Append(ref span, "}\n"u8);
        return new WatchFrame(line, EndsStream: false);
    }

    /// <summary>A BOOKMARK: an object of the watched kind with only metadata.resourceVersion (and the initial-events-end annotation).</summary>
    public static WatchFrame Bookmark(KindInfo kind, long resourceVersion, bool initialEventsEnd)
    {
        var rv = resourceVersion.ToString(CultureInfo.InvariantCulture);
        var annotations = initialEventsEnd ? ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}" : "";
        var text = $"{{\"type\":\"BOOKMARK\",\"object\":{{{Encoding.UTF8.GetString(kind.ObjectHeader)},\"metadata\":{{\"resourceVersion\":\"{rv}\",\"creationTimestamp\":null{annotations}}}}}}}\n";
        return new WatchFrame(Encoding.UTF8.GetBytes(text), EndsStream: false);
    }

    /// <summary>An ERROR event whose object is a Status; the stream ends cleanly after it, as on a real server.</summary>
    public static WatchFrame Error(byte[] status)
    {
        var line = new byte[TypeOpen.Length + "ERROR".Length + ObjectOpen.Length - 1 + status.Length + 2];
        var span = line.AsSpan();
        Append(ref span, TypeOpen);
        Append(ref span, "ERROR"u8);
        Append(ref span, "\",\"object\":"u8);
        Append(ref span, status);
        Append(ref span, "}\n"u8);
        return new WatchFrame(line, EndsStream: true);
    }

    /// <summary>A line cut short mid-object: the kind of corruption a broken proxy produces.</summary>
    public static WatchFrame Garbage(KindInfo kind) => new(
        Encoding.UTF8.GetBytes($"{{\"type\":\"ADDED\",\"object\":{{{Encoding.UTF8.GetString(kind.ObjectHeader)},\"metadata\":{{\"name\":\"trunc\n"),
        EndsStream: false);

    /// <summary>A line of <paramref name="bytes"/> bytes of junk: an API server or proxy that sends without end.</summary>
    public static WatchFrame Oversized(int bytes)
    {
        var line = new byte[bytes + 1];
        line.AsSpan(0, bytes).Fill((byte)'x');
        line[^1] = (byte)'\n';
        return new(line, EndsStream: false);
    }

    private static void Append(ref Span<byte> span, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span);
        span = span[bytes.Length..];
    }
}
