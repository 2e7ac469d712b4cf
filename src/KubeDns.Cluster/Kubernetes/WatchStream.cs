using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KubeDns.Cluster.Wire;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// A watch request and its stream of event lines, read here rather than by KubernetesClient: the AOT-safe
/// package (KubernetesClient.Aot, source-generated JSON) has the list operations but no watcher. The request
/// goes through <see cref="ApiClient"/>, so TLS and auth are set up as the client's; each line is
/// one event, <c>{"type": "ADDED", "object": {...}}</c>, its object read with the JSON model given, as the list's
/// (the server's is <see cref="WireJson"/>).
/// As KubernetesClient's watcher did: an <c>ERROR</c> event (a Status, 410 Expired among them) and a line that
/// does not parse (or is longer than <see cref="WatchLines"/> allows) go to <c>onError</c> and the stream goes on
/// until the server ends it; a response that is not 200 throws (<see cref="ApiGet"/>).
/// </summary>
internal static class WatchStream
{
    /// <summary>
    /// The watch's query string, its parameters in the order KubernetesClient writes them: bookmarks (on unless
    /// told), a label selector, the version to start after, the server's timeout.
    /// </summary>
    public static string Query(string? version, string? labels, int? timeoutSeconds, bool bookmarks = true)
    {
        var query = new List<string>(5);
        if (bookmarks)
        {
            query.Add("allowWatchBookmarks=true");
        }

        if (labels is not null)
        {
            query.Add("labelSelector=" + Uri.EscapeDataString(labels));
        }

        if (version is not null)
        {
            query.Add("resourceVersion=" + Uri.EscapeDataString(version));
        }

        if (timeoutSeconds is { } seconds)
        {
            query.Add("timeoutSeconds=" + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        query.Add("watch=true");
        return "?" + string.Join('&', query);
    }

    /// <param name="path">The kind's collection, e.g. <c>api/v1/services</c>.</param>
    /// <param name="query">From <see cref="Query"/>.</param>
    /// <typeparam name="T">The model read.</typeparam>
    /// <typeparam name="TObject">What the events carry it as (the informer takes every kind as <see cref="IWireObject"/>).</typeparam>
    public static async IAsyncEnumerable<(WatchEventType Type, TObject Object)> ReadAsync<T, TObject>(
        ApiClient client, string path, string query, JsonTypeInfo<T> objectType, Action<Exception> onError, [EnumeratorCancellation] CancellationToken ct)
        where T : TObject
    {
        using var response = await ApiGet.SendAsync(client, path, query, ct).ConfigureAwait(false);
        var lines = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await foreach (var line in WatchLines.ReadAsync(lines, ct).ConfigureAwait(false))
        {
            if (line is not { } bytes)
            {
                onError(new InvalidDataException($"a watch event line of more than {WatchLines.MaxLineBytes >> 20} MiB was dropped"));
                continue;
            }

            if (bytes.IsEmpty)
            {
                continue;
            }

            var parsed = Parse(bytes, objectType, onError);
            if (parsed is var (type, item))
            {
                yield return (type, item);
            }
        }
    }

    private static (WatchEventType, T)? Parse<T>(ReadOnlyMemory<byte> line, JsonTypeInfo<T> objectType, Action<Exception> onError)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString();
            var item = root.GetProperty("object");
            switch (type)
            {
                case "ADDED":
                    return (WatchEventType.Added, Object(item, objectType));
                case "MODIFIED":
                    return (WatchEventType.Modified, Object(item, objectType));
                case "DELETED":
                    return (WatchEventType.Deleted, Object(item, objectType));
                case "BOOKMARK":
                    return (WatchEventType.Bookmark, Object(item, objectType));
                case "ERROR":
                    onError(new ApiStatusException(Object(item, WireJson.Default.StatusObject)));
                    return null;
                default:
                    onError(new JsonException($"a watch event of unknown type '{type}'"));
                    return null;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            onError(e);
            return null;
        }
    }

    private static T Object<T>(JsonElement item, JsonTypeInfo<T> type) =>
        item.Deserialize(type) ?? throw new JsonException("a watch event's object is null");
}
