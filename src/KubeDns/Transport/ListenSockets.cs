using System.Net;
using System.Net.Sockets;
using KubeDns.Resolution;

namespace KubeDns.Transport;

/// <summary>Creates and binds listening sockets. A bind failure becomes a <see cref="ListenException"/>.</summary>
internal static class ListenSockets
{
    /// <summary>Receive buffer asked for on each UDP socket.</summary>
    public const int UdpReceiveBuffer = 4 * 1024 * 1024;

    /// <summary>
    /// A UDP socket bound to <paramref name="endPoint"/>. With <paramref name="reusePort"/> the socket sets
    /// ReuseAddress, which on Linux is SO_REUSEPORT too: several sockets share the port and the kernel spreads
    /// datagrams over them by flow hash, one receive loop each.
    /// </summary>
    public static Socket BindUdp(IPEndPoint endPoint, bool reusePort)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            ThisFamilyOnly(socket);
            if (reusePort)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            // Room for bursts: a datagram the kernel cannot queue is lost, and the client waits out its timeout.
            // Linux caps the request at net.core.rmem_max (4 MiB here; 208 KiB is the usual default).
            socket.ReceiveBufferSize = UdpReceiveBuffer;
            socket.Bind(endPoint);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ListenException(DnsTransport.Udp, endPoint, ex);
        }
    }

    /// <summary>A listening TCP socket bound to <paramref name="endPoint"/>.</summary>
    public static Socket BindTcp(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            ThisFamilyOnly(socket);
            socket.Bind(endPoint);
            socket.Listen();
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ListenException(DnsTransport.Tcp, endPoint, ex);
        }
    }

    public static string Name(DnsTransport transport) => transport == DnsTransport.Tcp ? "tcp" : "udp";

    // IPV6_V6ONLY: [::]:53 must not take IPv4 traffic, so that 0.0.0.0:53 can be listened on beside it.
    private static void ThisFamilyOnly(Socket socket)
    {
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = false;
        }
    }
}
