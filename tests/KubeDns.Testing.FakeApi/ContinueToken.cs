using System.Buffers;
using System.Text.Json;

namespace KubeDns.Testing.FakeApi;

/// <summary>
/// The <c>continue</c> token of a paged list, shaped like the real one: base64 of
/// <c>{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}</c>, where N is the resourceVersion of the
/// first page (every page is read from that snapshot) and start is just past the last key returned.
/// Clients must treat it as opaque; this shape only makes it recognisable in a request log.
/// </summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string lastKey)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("v", "meta.k8s.io/v1");
            json.WriteNumber("rv", resourceVersion);
            json.WriteString("start", lastKey + "\0");
            json.WriteEndObject();
        }

        return Convert.ToBase64String(buffer.WrittenSpan);
    }

    /// <summary>False for a token this server did not make.</summary>
    public static bool TryDecode(string token, out long resourceVersion, out string afterKey)
    {
        resourceVersion = 0;
        afterKey = "";
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(token));
            var root = doc.RootElement;
            if (!root.TryGetProperty("rv", out var rv) || !root.TryGetProperty("start", out var start))
            {
                return false;
            }

            var key = start.GetString() ?? "";
            if (!key.EndsWith('\0'))
            {
                return false;
            }

            resourceVersion = rv.GetInt64();
            afterKey = key[..^1];
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
