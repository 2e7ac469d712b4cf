using System.Diagnostics;
using KubeDns.Resolution;

namespace KubeDns.Monitoring;

/// <summary>
/// Wraps the resolver for one listener and counts each query into that listener's series (the listener
/// knows the transport and address family; the resolver does not need to).
/// </summary>
internal sealed class MeasuredQueryHandler(IQueryHandler inner, ListenerSeries series) : IQueryHandler
{
    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport) =>
        Handle(query, response, transport, []);

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport, ReadOnlySpan<byte> client)
    {
        var start = Stopwatch.GetTimestamp();
        var length = inner.Handle(query, response, transport, client);
        if (length != IQueryHandler.Deferred)
        {
            series.Count(query, response[..Math.Clamp(length, 0, response.Length)], Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return length;
    }

    /// <summary>A forwarded query is counted when its answer is ready (its duration is the round trip).</summary>
    public async ValueTask<int> HandleDeferredAsync(
        ReadOnlyMemory<byte> query, Memory<byte> response, DnsTransport transport, ReadOnlyMemory<byte> client, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var length = await inner.HandleDeferredAsync(query, response, transport, client, cancellationToken).ConfigureAwait(false);
        series.Count(query.Span, response.Span[..Math.Clamp(length, 0, response.Length)], Stopwatch.GetElapsedTime(start).TotalSeconds);
        return length;
    }
}
