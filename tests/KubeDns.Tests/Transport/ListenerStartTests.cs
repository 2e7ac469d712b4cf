using System.Net;
using System.Net.Sockets;
using KubeDns.Hosting;
using KubeDns.Transport;

namespace KubeDns.Tests.Transport;

public sealed class ListenerStartTests
{
    [Fact]
    public async Task Start_UdpPortInUse_FailsNamingTransportAndAddress()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endPoint = (IPEndPoint)taken.LocalEndPoint!;

        ListenException error = await Assert.ThrowsAsync<ListenException>(() => TestListeners.StartAsync(TestListeners.Options(endPoint)));

        Assert.Contains($"udp 127.0.0.1:{endPoint.Port}", error.Message, StringComparison.Ordinal);
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    [Fact]
    public async Task Start_TcpPortInUse_FailsAndReleasesTheUdpSockets()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var endPoint = (IPEndPoint)taken.LocalEndPoint!;

        ListenException error = await Assert.ThrowsAsync<ListenException>(() => TestListeners.StartAsync(TestListeners.Options(endPoint)));

        Assert.Contains($"tcp 127.0.0.1:{endPoint.Port}", error.Message, StringComparison.Ordinal);
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(endPoint);
    }

    [Fact]
    public async Task Start_SecondAddressInUse_ReleasesTheFirst()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var free = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        free.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var freeEndPoint = (IPEndPoint)free.LocalEndPoint!;
        free.Close();
        ServerOptions options = TestListeners.Options(freeEndPoint, (IPEndPoint)taken.LocalEndPoint!) with { UdpSockets = 1 };

        await Assert.ThrowsAsync<ListenException>(() => TestListeners.StartAsync(options));

        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        again.Bind(freeEndPoint);
    }

    [Fact]
    public async Task Start_SeveralAddresses_ExposesEachBoundEndPoint()
    {
        ServerOptions options = TestListeners.Options(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.IPv6Loopback, 0));
        await using TestListeners server = await TestListeners.StartAsync(options);

        Assert.Equal(2, server.Listeners.UdpEndPoints.Count);
        Assert.Equal(2, server.Listeners.TcpEndPoints.Count);
        Assert.Equal(IPAddress.IPv6Loopback, server.Listeners.UdpEndPoints[1].Address);
        byte[] answer = await TestClients.ExchangeUdpAsync(server.Listeners.UdpEndPoints[1], DnsMessages.Query(6));
        Assert.Equal(6, DnsMessages.Id(answer));
    }

    [Fact]
    public async Task Stop_NeverStarted_DoesNothing()
    {
        var listeners = new DnsListeners(new EchoHandler(), TestListeners.Options(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<DnsListeners>.Instance);

        await listeners.StopAsync(CancellationToken.None);

        Assert.Empty(listeners.UdpEndPoints);
    }
}
