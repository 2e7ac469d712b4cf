using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KubeDns.Hosting;

namespace KubeDns.Tests.Transport;

public sealed class UdpServerTests
{
    [Fact]
    public async Task Query_OverIPv4Loopback_IsAnswered()
    {
        await using TestListeners server = await TestListeners.StartAsync();

        byte[] answer = await TestClients.ExchangeUdpAsync(server.Udp, DnsMessages.Query(0x1234));

        Assert.Equal(0x1234, DnsMessages.Id(answer));
        Assert.True(DnsMessages.IsResponse(answer));
        Assert.Equal(IPAddress.Loopback, server.Udp.Address);
        Assert.NotEqual(0, server.Udp.Port);
    }

    [Fact]
    public async Task Query_OverIPv6Loopback_IsAnswered()
    {
        await using TestListeners server = await TestListeners.StartAsync(TestListeners.Options(new IPEndPoint(IPAddress.IPv6Loopback, 0)));

        byte[] answer = await TestClients.ExchangeUdpAsync(server.Udp, DnsMessages.Query(0x6666));

        Assert.Equal(0x6666, DnsMessages.Id(answer));
        Assert.Equal(IPAddress.IPv6Loopback, server.Udp.Address);
    }

    [Fact]
    public async Task Start_IPv4AndIPv6AnyOnOnePort_BothBind()
    {
        // [::] is IPv6-only (IPV6_V6ONLY), so 0.0.0.0 can take the same port beside it. One socket each: no
        // SO_REUSEPORT to hide a conflict.
        ServerOptions ipv6 = TestListeners.Options(new IPEndPoint(IPAddress.IPv6Any, 0)) with { UdpSockets = 1 };
        await using TestListeners first = await TestListeners.StartAsync(ipv6);
        int port = first.Udp.Port;
        ServerOptions ipv4 = TestListeners.Options(new IPEndPoint(IPAddress.Any, port)) with { UdpSockets = 1 };

        await using TestListeners second = await TestListeners.StartAsync(ipv4);

        Assert.Equal(port, second.Udp.Port);
        byte[] answer = await TestClients.ExchangeUdpAsync(new IPEndPoint(IPAddress.Loopback, port), DnsMessages.Query(4));
        Assert.Equal(4, DnsMessages.Id(answer));
        Assert.Equal(0, first.Handler.Calls);
    }

    [Fact]
    public async Task Start_SeveralSockets_ShareOnePortAndAllAnswer()
    {
        ServerOptions options = TestListeners.Options() with { UdpSockets = 4 };
        await using TestListeners server = await TestListeners.StartAsync(options);

        Assert.Equal(4, BoundUdpSockets(server.Udp.Port));
        var exchanges = new List<Task<byte[]>>();
        for (ushort id = 1; id <= 64; id++)
        {
            exchanges.Add(TestClients.ExchangeUdpAsync(server.Udp, DnsMessages.Query(id)));
        }

        byte[][] answers = await Task.WhenAll(exchanges);
        for (int i = 0; i < answers.Length; i++)
        {
            Assert.Equal(i + 1, DnsMessages.Id(answers[i]));
        }
    }

    [Fact]
    public async Task Query_HandlerReturnsZero_SendsNothing()
    {
        await using TestListeners server = await TestListeners.StartAsync();
        using Socket client = TestClients.Udp(server.Udp);

        await client.SendToAsync(DnsMessages.Response(7), SocketFlags.None, server.Udp);
        byte[]? nothing = await TestClients.ReceiveAsync(client, TimeSpan.FromMilliseconds(300));
        await client.SendToAsync(DnsMessages.Query(8), SocketFlags.None, server.Udp);
        byte[]? answer = await TestClients.ReceiveAsync(client);

        Assert.Null(nothing);
        Assert.NotNull(answer);
        Assert.Equal(8, DnsMessages.Id(answer));
    }

    [Fact]
    public async Task Query_HandlerThrows_NoAnswerAndServingGoesOn()
    {
        ServerOptions options = TestListeners.Options() with { UdpSockets = 1 };
        await using TestListeners server = await TestListeners.StartAsync(options);
        using Socket client = TestClients.Udp(server.Udp);

        for (int i = 0; i < 3; i++)
        {
            await client.SendToAsync(DnsMessages.Query(EchoHandler.ThrowId), SocketFlags.None, server.Udp);
        }

        byte[]? nothing = await TestClients.ReceiveAsync(client, TimeSpan.FromMilliseconds(300));
        byte[] answer = await TestClients.ExchangeUdpAsync(server.Udp, DnsMessages.Query(9));

        Assert.Null(nothing);
        Assert.Equal(9, DnsMessages.Id(answer));
    }

    [Fact]
    public async Task Query_LargestDatagram_IsReceivedWhole()
    {
        await using TestListeners server = await TestListeners.StartAsync();

        byte[] answer = await TestClients.ExchangeUdpAsync(server.Udp, DnsMessages.Query(10, length: 4000));

        Assert.Equal(4000, answer.Length);
        Assert.Equal(DnsMessages.Query(10, length: 4000)[12..], answer[12..]);
    }

    [Fact]
    public async Task Stop_ClosesSocketsAndEndsLoops()
    {
        TestListeners server = await TestListeners.StartAsync();
        IPEndPoint endPoint = server.Udp;

        Task stop = server.Listeners.StopAsync(CancellationToken.None);
        await stop.WaitAsync(TimeSpan.FromSeconds(5));

        // The port is free again: a socket without SO_REUSEPORT binds it.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(endPoint);
        await server.DisposeAsync();
    }

    // Linux: count the UDP sockets bound to the port in /proc/net/udp (local address column is ADDR:PORT in hex).
    private static int BoundUdpSockets(int port)
    {
        string suffix = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        int count = 0;
        foreach (string line in File.ReadLines("/proc/net/udp").Skip(1))
        {
            string local = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            if (local.EndsWith(suffix, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }
}
