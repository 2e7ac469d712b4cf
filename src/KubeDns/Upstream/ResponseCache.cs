using System.Buffers.Binary;
using System.Collections.Concurrent;
using KubeDns.Protocol;

namespace KubeDns.Upstream;

/// <summary>
/// Answers of upstream servers, positive and negative (RFC 2308), TTLs capped (<c>--cache-ttl</c>, as
/// CoreDNS's <c>cache 30</c>) and counted down in what is served. Bounded by entries (oldest inserted are
/// evicted first) and by message size (answers over <see cref="MaxMessageSize"/> are not kept), so memory
/// stays under capacity × 4 KiB. Expired answers are kept a while longer to be served stale (RFC 8767)
/// when every upstream is down. A hit allocates nothing: the key is looked up from a stack buffer.
/// </summary>
internal sealed class ResponseCache
{
    public const int MaxMessageSize = 4096;

    /// <summary>RFC 2308 §7.1 allows caching SERVFAIL for at most five minutes; CoreDNS uses 5 s.</summary>
    public const uint ServFailTtl = 5;

    /// <summary>TTL of an answer served stale (RFC 8767 §4 recommends 30 s).</summary>
    public const uint StaleTtl = 30;

    private readonly ConcurrentDictionary<CacheKey, CachedAnswer> _entries = new(CacheKeyComparer.Instance);
    private readonly ConcurrentDictionary<CacheKey, CachedAnswer>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly ConcurrentQueue<CacheKey> _insertionOrder = new();
    private readonly int _capacity;
    private readonly uint _maxTtl;
    private readonly TimeSpan _staleFor;
    private readonly TimeProvider _time;

    /// <summary>Hits an answer needs before it is refreshed ahead of expiry (with prefetch on).</summary>
    public const int PrefetchHits = 2;

    private readonly bool _prefetch;

    /// <param name="prefetch">Refresh popular answers in the last tenth of their TTL (at least the last second).</param>
    public ResponseCache(int capacity, TimeSpan maxTtl, TimeSpan staleFor, TimeProvider time, bool prefetch = false)
    {
        _prefetch = prefetch;
        _capacity = capacity;
        _maxTtl = (uint)maxTtl.TotalSeconds;
        _staleFor = staleFor;
        _time = time;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _entries.Count;

    /// <summary>Entries by kind, for the entries gauge (a scan: called per scrape, not per query).</summary>
    public (int Success, int Denial) CountByKind()
    {
        var denial = _entries.Values.Count(e => e.IsDenial);
        return (_entries.Count - denial, denial);
    }

    /// <summary>
    /// Writes the cached answer to <paramref name="response"/> for this query: the client's ID, RD and
    /// question spelling, TTLs counted down. False when absent, expired (unless <paramref name="stale"/> and
    /// within the stale window), or longer than <paramref name="maxLength"/>.
    /// </summary>
    public bool TryAnswer(ReadOnlySpan<byte> key, ReadOnlySpan<byte> query, int questionEnd, Span<byte> response, int maxLength, bool stale, out int length) =>
        TryAnswer(key, query, questionEnd, response, maxLength, stale, out length, out _, out _, countHit: false);

    /// <param name="denial">Whether the answer was NXDOMAIN or NODATA (for the hit metrics).</param>
    /// <param name="refresh">True (once per answer) when a popular answer is close to expiry: the caller refreshes it upstream.</param>
    /// <param name="countHit">A client's lookup (counts towards prefetch), not one of the server's own reads.</param>
    public bool TryAnswer(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> query, int questionEnd, Span<byte> response, int maxLength, bool stale,
        out int length, out bool denial, out bool refresh, bool countHit = true)
    {
        length = 0;
        denial = false;
        refresh = false;
        if (!_lookup.TryGetValue(key, out var entry) || entry.Message.Length > maxLength || entry.Message.Length < questionEnd)
        {
            return false;
        }

        var age = _time.GetElapsedTime(entry.StoredAt);
        var expired = age.TotalSeconds >= entry.FreshFor;
        if (expired && (!stale || age >= TimeSpan.FromSeconds(entry.FreshFor) + _staleFor))
        {
            return false;
        }

        entry.Message.CopyTo(response);
        query[DnsHeader.Size..questionEnd].CopyTo(response[DnsHeader.Size..]);
        DnsHeader.WriteUInt16(response, DnsHeader.IdOffset, DnsHeader.ReadUInt16(query, DnsHeader.IdOffset));
        var flags = (ushort)((DnsHeader.ReadUInt16(response, DnsHeader.FlagsOffset) & ~DnsHeader.RD) | (DnsHeader.ReadUInt16(query, DnsHeader.FlagsOffset) & DnsHeader.RD));
        DnsHeader.WriteUInt16(response, DnsHeader.FlagsOffset, flags);
        var elapsed = (uint)age.TotalSeconds;
        for (var i = 0; i < entry.TtlOffsets.Length; i++)
        {
            var ttl = expired ? StaleTtl : Math.Min(entry.Ttls[i], entry.FreshFor) - elapsed;
            BinaryPrimitives.WriteUInt32BigEndian(response[entry.TtlOffsets[i]..], ttl);
        }

        length = entry.Message.Length;
        denial = entry.IsDenial;
        if (_prefetch && countHit && !expired && entry.Hit() >= PrefetchHits)
        {
            var left = TimeSpan.FromSeconds(entry.FreshFor) - age;
            refresh = left <= TimeSpan.FromSeconds(Math.Max(1, entry.FreshFor / 10.0)) && entry.TryStartPrefetch();
        }

        return true;
    }

    /// <summary>Keeps an upstream answer if it may be cached (see <see cref="CachedAnswer.From"/>).</summary>
    public void Store(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxMessageSize || CachedAnswer.From(message, _maxTtl, Math.Min(ServFailTtl, _maxTtl), _time.GetTimestamp()) is not { } entry)
        {
            return;
        }

        // First insertion decides the eviction order (FIFO); a refreshed answer keeps its place.
        var cacheKey = new CacheKey(key.ToArray());
        if (!_entries.TryAdd(cacheKey, entry))
        {
            _entries[cacheKey] = entry;
            return;
        }

        _insertionOrder.Enqueue(cacheKey);
        while (_entries.Count > _capacity && _insertionOrder.TryDequeue(out var oldest))
        {
            _entries.TryRemove(oldest, out _);
        }
    }
}
