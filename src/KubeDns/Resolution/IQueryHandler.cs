using KubeDns.Protocol;

namespace KubeDns.Resolution;

/// <summary>
/// Turns one DNS query message into one response message. A pure function of (zone snapshot, query bytes):
/// it never touches sockets, so transports only frame bytes and tests can go bytes in, bytes out.
/// </summary>
public interface IQueryHandler
{
    /// <summary>
    /// Writes the response to <paramref name="response"/> and returns its length, or 0 when nothing must be
    /// sent (the header is unreadable, or the message is itself a response).
    /// </summary>
    /// <param name="query">One DNS message, without the TCP length prefix.</param>
    /// <param name="response">At least <see cref="DnsLimits.MaxMessageSize"/> bytes.</param>
    /// <param name="transport">UDP answers are truncated to 512 bytes or the EDNS size; TCP answers are not.</param>
    int Handle(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport);
}

public enum DnsTransport
{
    Udp,
    Tcp,
}
