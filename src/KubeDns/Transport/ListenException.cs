using System.Net;
using System.Net.Sockets;
using KubeDns.Resolution;

namespace KubeDns.Transport;

/// <summary>A listening socket could not be bound; the message names the transport and the address.</summary>
internal sealed class ListenException : IOException
{
    public ListenException(DnsTransport transport, IPEndPoint endPoint, SocketException inner)
        : base($"cannot listen on {ListenSockets.Name(transport)} {endPoint}: {inner.Message}", inner)
    {
        Transport = transport;
        EndPoint = endPoint;
        SocketErrorCode = inner.SocketErrorCode;
    }

    public DnsTransport Transport { get; }

    public IPEndPoint EndPoint { get; }

    public SocketError SocketErrorCode { get; }
}
