using System.Net;
using System.Net.Sockets;

namespace KubeDns.Transport;

/// <summary>
/// The client's IP address as bytes (4 for IPv4, 16 for IPv6; an IPv4-mapped IPv6 address as its IPv4), read
/// from a socket address without allocating: what the resolver needs to know who asks (autopath).
/// </summary>
internal static class ClientAddress
{
    /// <summary>Writes the address of <paramref name="peer"/> to <paramref name="destination"/> (16 bytes); returns its length, 0 if unknown.</summary>
    public static int Read(SocketAddress peer, Span<byte> destination) => Read(peer.Family, peer.Buffer.Span[..peer.Size], destination);

    /// <summary>The same from a raw sockaddr of the given family.</summary>
    public static int Read(AddressFamily family, ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        // sockaddr_in: family, port, then the address at 4; sockaddr_in6: family, port, flowinfo, then the address at 8.
        if (family == AddressFamily.InterNetwork && raw.Length >= 8)
        {
            raw.Slice(4, 4).CopyTo(destination);
            return 4;
        }

        if (family == AddressFamily.InterNetworkV6 && raw.Length >= 24)
        {
            var address = raw.Slice(8, 16);
            if (address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xFF && address[11] == 0xFF)
            {
                address[12..].CopyTo(destination);
                return 4;
            }

            address.CopyTo(destination);
            return 16;
        }

        return 0;
    }

    /// <summary>The address bytes of an accepted connection's peer; empty when the connection is already gone.</summary>
    public static byte[] Of(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint is IPEndPoint ip
                ? (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).GetAddressBytes()
                : [];
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return []; // reset before we looked: the connection's loop finds out and closes it
        }
    }
}
