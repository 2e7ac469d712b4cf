using KubeDns.Protocol;
using KubeDns.Resolution;
using Microsoft.Extensions.Logging;

namespace KubeDns.Upstream;

/// <summary>
/// Names outside the cluster zone (and reverse names of addresses the cluster does not know, as CoreDNS's
/// <c>fallthrough in-addr.arpa ip6.arpa</c>): answered from the cache when fresh, else forwarded, the
/// answer cached, served stale when every upstream is down, SERVFAIL when nothing is known, REFUSED
/// beyond the bound on queries in flight. Responses carry RA (RFC 1035 §4.1.1: recursion available).
/// </summary>
internal sealed partial class ExternalResolver(
    Forwarder forwarder, ResponseCache? cache, int maxUdpSize, ILogger<ExternalResolver> logger, LoopProbe? loop = null, Monitoring.UpstreamMetrics? metrics = null)
{
    private const int MaxKeyLength = CacheKey.PrefixLength + DnsLimits.MaxNameLength + 1;
    private int _loopLogged;

    /// <summary>The answer from the cache, or <see cref="IQueryHandler.Deferred"/> to forward.</summary>
    public int Answer(ReadOnlySpan<byte> query, scoped in ParsedQuery parsed, Span<byte> response, DnsTransport transport)
    {
        if (cache is null)
        {
            return IQueryHandler.Deferred;
        }

        Span<byte> key = stackalloc byte[MaxKeyLength];
        var keyLength = CacheKey.Write(key, parsed.Name, parsed.Type, parsed.Class, parsed.HasOpt, parsed.DnssecOk);
        if (cache.TryAnswer(key[..keyLength], query, parsed.QuestionEnd, response, MaxLength(parsed, transport), stale: false, out var length, out var denial, out var refresh))
        {
            metrics?.CacheHit(denial);
            if (refresh)
            {
                _ = PrefetchAsync(key[..keyLength].ToArray());
            }

            return length;
        }

        metrics?.CacheMiss();
        return IQueryHandler.Deferred;
    }

    /// <summary>Forwards a query <see cref="Answer"/> deferred.</summary>
    public async ValueTask<int> AnswerAsync(ReadOnlyMemory<byte> query, Memory<byte> response, DnsTransport transport, CancellationToken cancellationToken)
    {
        var (key, questionEnd, maxLength, hasOpt, dnssecOk) = Describe(query.Span, transport);
        if (loop is not null && (loop.IsProbe(key.AsSpan(CacheKey.PrefixLength)) || loop.LoopDetected))
        {
            return Error(query.Span, response.Span, questionEnd, ResponseCode.ServFail, hasOpt, dnssecOk);
        }

        if (forwarder.IsOwnQuery(query.Span, questionEnd))
        {
            if (Interlocked.Exchange(ref _loopLogged, 1) == 0)
            {
                Log.Loop(logger, string.Join(", ", forwarder.Upstreams));
            }

            return Error(query.Span, response.Span, questionEnd, ResponseCode.ServFail, hasOpt, dnssecOk);
        }

        var (outcome, length) = await forwarder.ForwardAsync(query, questionEnd, response, maxLength, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case ForwardOutcome.Answered:
                // Served from the cache once stored, so the client sees the capped TTLs a later hit would give.
                cache?.Store(key, response.Span[..length]);
                return cache is not null && cache.TryAnswer(key, query.Span, questionEnd, response.Span, maxLength, stale: false, out var capped)
                    ? capped
                    : length;
            case ForwardOutcome.AllFailed when cache is not null && cache.TryAnswer(key, query.Span, questionEnd, response.Span, maxLength, stale: true, out var stale):
                return stale;
            case ForwardOutcome.OverLimit:
                return Error(query.Span, response.Span, questionEnd, ResponseCode.Refused, hasOpt, dnssecOk);
            default:
                return Error(query.Span, response.Span, questionEnd, ResponseCode.ServFail, hasOpt, dnssecOk);
        }
    }

    /// <summary>
    /// Refreshes a popular cached answer before it expires (CoreDNS's <c>prefetch</c>): the same question,
    /// with the same EDNS and DO the cached one was asked with, forwarded in the background.
    /// </summary>
    private async Task PrefetchAsync(byte[] key)
    {
        var (name, type, qclass, hasOpt, dnssecOk) = CacheKey.Read(key);
        var query = QueryBuilder.Build(name.Span, type, qclass, hasOpt ? (ushort)maxUdpSize : null, dnssecOk);
        var response = new byte[DnsLimits.MaxMessageSize];
        var (outcome, length) = await forwarder.ForwardAsync(query, QueryBuilder.QuestionEnd(name.Span), response, DnsLimits.MaxMessageSize, CancellationToken.None).ConfigureAwait(false);
        if (outcome == ForwardOutcome.Answered)
        {
            cache?.Store(key, response.AsSpan(0, length));
        }
    }

    /// <summary>
    /// The records of <paramref name="target"/> (an ExternalName's name outside the cluster) for
    /// <paramref name="type"/>, from the cache or the upstreams: what follows our CNAME in the answer.
    /// Null when no upstream answered.
    /// </summary>
    public async ValueTask<ChasedAnswer?> ChaseAsync(byte[] target, ushort type, CancellationToken cancellationToken)
    {
        var query = QueryBuilder.Build(target, type, RecordClass.IN, (ushort)maxUdpSize);
        var response = new byte[DnsLimits.MaxMessageSize];
        var key = new byte[CacheKey.PrefixLength + target.Length];
        CacheKey.Write(key, target, type, RecordClass.IN, hasOpt: true, dnssecOk: false);
        var questionEnd = QueryBuilder.QuestionEnd(target);
        if (cache is not null && cache.TryAnswer(key, query, questionEnd, response, DnsLimits.MaxMessageSize, stale: false, out var cached))
        {
            return ChasedAnswer.From(target, response.AsSpan(0, cached));
        }

        var (outcome, length) = await forwarder.ForwardAsync(query, questionEnd, response, DnsLimits.MaxMessageSize, cancellationToken).ConfigureAwait(false);
        if (outcome != ForwardOutcome.Answered)
        {
            return null;
        }

        cache?.Store(key, response.AsSpan(0, length));
        return ChasedAnswer.From(target, response.AsSpan(0, length));
    }

    /// <summary>Largest answer the client takes: TCP 65535; UDP its EDNS size (capped) or 512 (RFC 6891 §6.2.5).</summary>
    private int MaxLength(scoped in ParsedQuery parsed, DnsTransport transport) =>
        transport == DnsTransport.Tcp ? DnsLimits.MaxMessageSize
        : parsed.HasOpt ? Math.Clamp((int)parsed.EdnsPayloadSize, DnsLimits.ClassicUdpSize, maxUdpSize)
        : DnsLimits.ClassicUdpSize;

    private (byte[] Key, int QuestionEnd, int MaxLength, bool HasOpt, bool DnssecOk) Describe(ReadOnlySpan<byte> query, DnsTransport transport)
    {
        Span<byte> name = stackalloc byte[DnsLimits.MaxNameLength + 1];
        QueryParser.Parse(query, name, out var parsed);
        var key = new byte[CacheKey.PrefixLength + parsed.Name.Length];
        CacheKey.Write(key, parsed.Name, parsed.Type, parsed.Class, parsed.HasOpt, parsed.DnssecOk);
        return (key, parsed.QuestionEnd, MaxLength(parsed, transport), parsed.HasOpt, parsed.DnssecOk);
    }

    /// <summary>An error answer of our own: the question echoed, RD copied, RA set, OPT when the query had one.</summary>
    private int Error(ReadOnlySpan<byte> query, Span<byte> response, int questionEnd, int rcode, bool hasOpt, bool dnssecOk)
    {
        query[..questionEnd].CopyTo(response);
        var writer = new ResponseWriter(response, DnsLimits.MaxMessageSize, questionEnd);
        if (hasOpt)
        {
            writer.AppendOpt((ushort)maxUdpSize, rcode, dnssecOk);
        }

        var flags = (ushort)(DnsHeader.QR | (DnsHeader.ReadUInt16(query, DnsHeader.FlagsOffset) & DnsHeader.RD) | DnsHeader.RA | rcode);
        return writer.Finish(DnsHeader.ReadUInt16(query, DnsHeader.IdOffset), flags, 1);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Forwarding loop: a query this server forwarded to {Upstreams} came back to it. Those upstreams forward to this server; give --upstream the node's own resolvers. Such queries get SERVFAIL")]
        public static partial void Loop(ILogger logger, string upstreams);
    }
}
