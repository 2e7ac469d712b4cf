using KubeDns.Resolution;

namespace KubeDns.Monitoring;

/// <summary>
/// Wraps the resolver for one listener and counts each query into that listener's series (the listener
/// knows the transport and address family; the resolver does not need to). A forwarded query is counted
/// when its answer is ready (its duration is the round trip).
/// </summary>
internal sealed class MeasuredQueryHandler(IQueryHandler inner, ListenerSeries series) : ObservedQueryHandler(inner)
{
    protected override void Observe(ReadOnlySpan<byte> query, ReadOnlySpan<byte> response, DnsTransport transport, TimeSpan elapsed) =>
        series.Count(query, response, elapsed.TotalSeconds);
}
