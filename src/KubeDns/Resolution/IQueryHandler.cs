using KubeDns.Protocol;

namespace KubeDns.Resolution;

/// <summary>
/// Turns one DNS query message into one response message. A pure function of (zone snapshot, query bytes):
/// it never touches sockets, so transports only frame bytes and tests can go bytes in, bytes out.
/// </summary>
public interface IQueryHandler
{
    /// <summary>
    /// What <see cref="Handle"/> returns when the answer needs a round trip (an upstream server): the
    /// transport then keeps a copy of the query and awaits <see cref="HandleDeferredAsync"/>.
    /// </summary>
    const int Deferred = -1;

    /// <summary>
    /// Writes the response to <paramref name="response"/> and returns its length, 0 when nothing must be
    /// sent (the header is unreadable, or the message is itself a response), or <see cref="Deferred"/>.
    /// </summary>
    /// <param name="query">One DNS message, without the TCP length prefix.</param>
    /// <param name="response">At least <see cref="DnsLimits.MaxMessageSize"/> bytes.</param>
    /// <param name="transport">UDP answers are truncated to 512 bytes or the EDNS size; TCP answers are not.</param>
    int Handle(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport);

    /// <summary>
    /// <see cref="Handle(ReadOnlySpan{byte}, Span{byte}, DnsTransport)"/> knowing who asks: the client's IP
    /// address bytes (4 or 16; empty when unknown), for answers that depend on the client (autopath).
    /// </summary>
    int Handle(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport, ReadOnlySpan<byte> client) =>
        Handle(query, response, transport);

    /// <summary>
    /// Answers a query that <see cref="Handle"/> deferred: the same contract, asynchronously. Handlers that
    /// never defer keep this default.
    /// </summary>
    ValueTask<int> HandleDeferredAsync(
        ReadOnlyMemory<byte> query, Memory<byte> response, DnsTransport transport, ReadOnlyMemory<byte> client, CancellationToken cancellationToken) =>
        ValueTask.FromResult(0);
}

public enum DnsTransport
{
    Udp,
    Tcp,
}
