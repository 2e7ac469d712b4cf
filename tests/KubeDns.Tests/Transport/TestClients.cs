using System.Net;
using System.Net.Sockets;

namespace KubeDns.Tests.Transport;

/// <summary>Plain socket clients with timeouts, so a missing answer fails a test instead of hanging it.</summary>
internal static class TestClients
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static Socket Udp(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>The next datagram, or null when none arrives within <paramref name="wait"/>.</summary>
    public static async Task<byte[]?> ReceiveAsync(Socket socket, TimeSpan? wait = null)
    {
        var buffer = new byte[65535];
        using var timeout = new CancellationTokenSource(wait ?? Timeout);
        try
        {
            int received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return buffer[..received];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public static async Task<byte[]> ExchangeUdpAsync(IPEndPoint server, byte[] query)
    {
        using Socket socket = Udp(server);
        await socket.SendToAsync(query, SocketFlags.None, server);
        return await ReceiveAsync(socket) ?? throw new TimeoutException($"no UDP answer from {server}");
    }

    public static async Task<Socket> ConnectTcpAsync(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(server, timeout.Token);
        return socket;
    }

    /// <summary>Reads one length-prefixed message; null when the server closed the connection first.</summary>
    public static async Task<byte[]?> ReadMessageAsync(Socket socket)
    {
        byte[] prefix = new byte[2];
        if (!await ReadExactlyAsync(socket, prefix))
        {
            return null;
        }

        byte[] message = new byte[(prefix[0] << 8) | prefix[1]];
        return await ReadExactlyAsync(socket, message) ? message : null;
    }

    /// <summary>True when the server closes the connection (EOF or reset) within <paramref name="wait"/>.</summary>
    public static async Task<bool> IsClosedByServerAsync(Socket socket, TimeSpan wait)
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            while (true)
            {
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
