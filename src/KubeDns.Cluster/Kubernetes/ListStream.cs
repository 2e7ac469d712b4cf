using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KubeDns.Cluster.Wire;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// One list page read as it streams, each item handed on as soon as it is read, where KubernetesClient's
/// typed list operation returns the page as one object. A page of full API objects lived across many young
/// collections while it was stripped, so it reached the old generation and died there: at 150,000 pods that
/// set the relist peak (issue 14). Here one item is alive at a time, whatever the page size. The items are
/// read with the JSON model given (the server's is <see cref="WireJson"/>); the tests read with
/// KubernetesClient's model and hold this reader to the client's typed list (ListStreamTests).
/// </summary>
internal static class ListStream
{
    /// <summary>The list's query string: continue token, label selector, page size.</summary>
    public static string Query(string? continueToken, string? labels, int limit)
    {
        var query = new List<string>(3);
        if (!string.IsNullOrEmpty(continueToken))
        {
            query.Add("continue=" + Uri.EscapeDataString(continueToken));
        }

        if (labels is not null)
        {
            query.Add("labelSelector=" + Uri.EscapeDataString(labels));
        }

        query.Add("limit=" + limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "?" + string.Join('&', query);
    }

    /// <summary>GETs one page of <paramref name="path"/> (e.g. <c>api/v1/pods</c>); returns the list's metadata.</summary>
    public static async Task<ListMeta> ReadPageAsync<T>(
        ApiClient client, string path, string query, JsonTypeInfo<T> itemType, Action<T> onItem, CancellationToken ct)
    {
        using var response = await ApiGet.SendAsync(client, path, query, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return await ReadAsync(body, itemType, onItem, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a list object (<c>{"metadata": {...}, "items": [...]}</c>, members in any order) from
    /// <paramref name="body"/>. An item larger than <paramref name="maxItemBytes"/>, or JSON that is not a
    /// list, throws <see cref="JsonException"/>.
    /// </summary>
    public static async Task<ListMeta> ReadAsync<T>(
        Stream body, JsonTypeInfo<T> itemType, Action<T> onItem, CancellationToken ct, int maxItemBytes = WatchLines.MaxLineBytes)
    {
        var reader = new ListReader<T>(itemType, onItem);
        var buffer = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= maxItemBytes)
                    {
                        throw new JsonException($"a list item of more than {maxItemBytes >> 20} MiB");
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxItemBytes));
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
                filled += read;
                var consumed = reader.Consume(buffer.AsSpan(0, filled), isFinalBlock: read == 0);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (read == 0)
                {
                    return reader.Metadata ?? new ListMeta();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The list's JSON as a small state machine over whatever part of it has arrived: each step (a member, an
    /// item) is taken only once it is whole in the buffer, and the reader resumes from the last whole step.
    /// </summary>
    private sealed class ListReader<T>(JsonTypeInfo<T> itemType, Action<T> onItem)
    {
        private JsonReaderState _state;
        private Phase _phase;

        private enum Phase
        {
            BeforeList,
            InList,
            InItems,
            AfterList,
        }

        public ListMeta? Metadata { get; private set; }

        /// <summary>Takes every whole step of <paramref name="data"/>; returns the bytes taken.</summary>
        public int Consume(ReadOnlySpan<byte> data, bool isFinalBlock)
        {
            var reader = new Utf8JsonReader(data, isFinalBlock, _state);
            var taken = 0;
            while (Step(ref reader))
            {
                taken = (int)reader.BytesConsumed;
                _state = reader.CurrentState;
            }

            if (isFinalBlock && _phase != Phase.AfterList)
            {
                throw new JsonException("the list ended before its JSON did");
            }

            return taken;
        }

        /// <summary>One whole step, or false (the reader's position then does not count) when more data is needed or the list is done.</summary>
        private bool Step(ref Utf8JsonReader reader)
        {
            switch (_phase)
            {
                case Phase.BeforeList:
                    if (!reader.Read())
                    {
                        return false;
                    }

                    _phase = reader.TokenType == JsonTokenType.StartObject ? Phase.InList : throw new JsonException($"a list is a JSON object, not {reader.TokenType}");
                    return true;
                case Phase.InList:
                    return StepInList(ref reader);
                case Phase.InItems:
                    return StepInItems(ref reader);
                default:
                    // Only whitespace may follow; the reader itself rejects a second value.
                    return reader.Read() ? throw new JsonException("data after the list") : false;
            }
        }

        private bool StepInList(ref Utf8JsonReader reader)
        {
            var ahead = reader;
            if (!ahead.Read())
            {
                return false;
            }

            if (ahead.TokenType == JsonTokenType.EndObject)
            {
                reader = ahead;
                _phase = Phase.AfterList;
                return true;
            }

            var isItems = ahead.ValueTextEquals("items"u8);
            var isMetadata = !isItems && ahead.ValueTextEquals("metadata"u8);
            if (!ahead.Read())
            {
                return false;
            }

            if (isItems && ahead.TokenType == JsonTokenType.StartArray)
            {
                reader = ahead;
                _phase = Phase.InItems;
                return true;
            }

            var value = ahead;
            if (!ahead.TrySkip())
            {
                return false;
            }

            if (isMetadata && value.TokenType == JsonTokenType.StartObject)
            {
                Metadata = JsonSerializer.Deserialize(ref value, WireJson.Default.ListMeta);
            }
            else if (isItems && value.TokenType != JsonTokenType.Null)
            {
                throw new JsonException($"a list's items are an array, not {value.TokenType}");
            }

            reader = ahead;
            return true;
        }

        private bool StepInItems(ref Utf8JsonReader reader)
        {
            var ahead = reader;
            if (!ahead.Read())
            {
                return false;
            }

            if (ahead.TokenType == JsonTokenType.EndArray)
            {
                reader = ahead;
                _phase = Phase.InList;
                return true;
            }

            var item = ahead;
            if (!ahead.TrySkip())
            {
                return false;
            }

            if (JsonSerializer.Deserialize(ref item, itemType) is { } value)
            {
                onItem(value);
            }

            reader = ahead;
            return true;
        }
    }
}
