using System.Diagnostics;
using KubeDns.Resolution;

namespace KubeDns.Monitoring;

/// <summary>
/// A handler around another that sees every answered query with how long it took: immediately for answers
/// given at once, when the answer is ready for deferred (forwarded) ones. Metrics and the query log build
/// on it; <see cref="Observe"/> runs on the hot path for the former, so it must not allocate there.
/// </summary>
internal abstract class ObservedQueryHandler(IQueryHandler inner) : IQueryHandler
{
    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport) =>
        Handle(query, response, transport, []);

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport, ReadOnlySpan<byte> client)
    {
        var start = Stopwatch.GetTimestamp();
        var length = inner.Handle(query, response, transport, client);
        if (length != IQueryHandler.Deferred)
        {
            Observe(query, response[..Math.Clamp(length, 0, response.Length)], transport, Stopwatch.GetElapsedTime(start));
        }

        return length;
    }

    public async ValueTask<int> HandleDeferredAsync(
        ReadOnlyMemory<byte> query, Memory<byte> response, DnsTransport transport, ReadOnlyMemory<byte> client, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var length = await inner.HandleDeferredAsync(query, response, transport, client, cancellationToken).ConfigureAwait(false);
        Observe(query.Span, response.Span[..Math.Clamp(length, 0, response.Length)], transport, Stopwatch.GetElapsedTime(start));
        return length;
    }

    /// <param name="response">The answer sent; empty when none was.</param>
    protected abstract void Observe(ReadOnlySpan<byte> query, ReadOnlySpan<byte> response, DnsTransport transport, TimeSpan elapsed);
}
