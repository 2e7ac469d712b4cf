using System.Net.Sockets;
using KubeDns.Hosting;

namespace KubeDns.Tests.Transport;

public sealed class TcpServerTests
{
    [Fact]
    public async Task Query_OneQuery_IsAnsweredWithLengthPrefix()
    {
        await using TestListeners server = await TestListeners.StartAsync();
        using Socket client = await TestClients.ConnectTcpAsync(server.Tcp);

        await client.SendAsync(DnsMessages.Framed(DnsMessages.Query(0x0101)));
        byte[]? answer = await TestClients.ReadMessageAsync(client);

        Assert.NotNull(answer);
        Assert.Equal(0x0101, DnsMessages.Id(answer));
        Assert.True(DnsMessages.IsResponse(answer));
        Assert.Equal(server.Udp.Port, server.Tcp.Port);
    }

    [Fact]
    public async Task Query_SeveralPipelinedInOneWrite_AreAnsweredInOrder()
    {
        await using TestListeners server = await TestListeners.StartAsync();
        using Socket client = await TestClients.ConnectTcpAsync(server.Tcp);

        await client.SendAsync(DnsMessages.Framed(DnsMessages.Query(1), DnsMessages.Query(2, length: 300), DnsMessages.Query(3)));

        for (ushort id = 1; id <= 3; id++)
        {
            byte[]? answer = await TestClients.ReadMessageAsync(client);
            Assert.NotNull(answer);
            Assert.Equal(id, DnsMessages.Id(answer));
        }
    }

    [Fact]
    public async Task Query_SplitAcrossWrites_IsReassembled()
    {
        await using TestListeners server = await TestListeners.StartAsync();
        using Socket client = await TestClients.ConnectTcpAsync(server.Tcp);
        byte[] framed = DnsMessages.Framed(DnsMessages.Query(0x0202, length: 3000), DnsMessages.Query(0x0303));

        foreach (Range part in new[] { 0..1, 1..2, 2..40, 40..2999, 2999..3005, 3005.. })
        {
            await client.SendAsync(framed[part]);
            await Task.Delay(20);
        }

        byte[]? first = await TestClients.ReadMessageAsync(client);
        byte[]? second = await TestClients.ReadMessageAsync(client);
        Assert.NotNull(first);
        Assert.Equal(3000, first.Length);
        Assert.Equal(DnsMessages.Query(0x0202, length: 3000)[12..], first[12..]);
        Assert.NotNull(second);
        Assert.Equal(0x0303, DnsMessages.Id(second));
    }

    [Fact]
    public async Task Query_LargeResponse_IsSentWhole()
    {
        await using TestListeners server = await TestListeners.StartAsync();
        using Socket client = await TestClients.ConnectTcpAsync(server.Tcp);

        await client.SendAsync(DnsMessages.Framed(DnsMessages.Query(EchoHandler.LargeId)));
        byte[]? answer = await TestClients.ReadMessageAsync(client);

        Assert.NotNull(answer);
        Assert.Equal(EchoHandler.LargeResponseSize, answer.Length);
    }

    [Fact]
    public async Task Query_HandlerReturnsZeroOrThrows_NoAnswerAndConnectionServesOn()
    {
        await using TestListeners server = await TestListeners.StartAsync();
        using Socket client = await TestClients.ConnectTcpAsync(server.Tcp);

        await client.SendAsync(DnsMessages.Framed(DnsMessages.Response(1), DnsMessages.Query(EchoHandler.ThrowId), DnsMessages.Query(2)));
        byte[]? answer = await TestClients.ReadMessageAsync(client);

        Assert.NotNull(answer);
        Assert.Equal(2, DnsMessages.Id(answer));
        Assert.Equal(3, server.Handler.Calls);
    }

    [Fact]
    public async Task Connection_IdleTimeout_IsClosed()
    {
        ServerOptions options = TestListeners.Options() with { TcpIdleTimeout = TimeSpan.FromMilliseconds(300) };
        await using TestListeners server = await TestListeners.StartAsync(options);
        using Socket client = await TestClients.ConnectTcpAsync(server.Tcp);

        await client.SendAsync(DnsMessages.Framed(DnsMessages.Query(1)));
        Assert.NotNull(await TestClients.ReadMessageAsync(client));

        Assert.True(await TestClients.IsClosedByServerAsync(client, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Connection_SlowPartialMessage_IsClosedAtIdleTimeout()
    {
        ServerOptions options = TestListeners.Options() with { TcpIdleTimeout = TimeSpan.FromMilliseconds(500) };
        await using TestListeners server = await TestListeners.StartAsync(options);
        using Socket client = await TestClients.ConnectTcpAsync(server.Tcp);
        byte[] framed = DnsMessages.Framed(DnsMessages.Query(1, length: 100));
        var started = System.Diagnostics.Stopwatch.StartNew();

        // One byte every 100 ms: never silent for the timeout, but the message would take 10 s.
        bool closed = false;
        for (int i = 0; i < framed.Length && !closed; i++)
        {
            try
            {
                await client.SendAsync(framed.AsMemory(i, 1));
            }
            catch (SocketException)
            {
                closed = true;
                break;
            }

            closed = client.Poll(100_000, SelectMode.SelectRead); // readable here means EOF or reset
        }

        Assert.True(closed || await TestClients.IsClosedByServerAsync(client, TimeSpan.FromSeconds(2)));
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(4));
        Assert.Equal(0, server.Handler.Calls);
    }

    [Fact]
    public async Task Connection_ZeroLengthMessage_IsClosed()
    {
        await using TestListeners server = await TestListeners.StartAsync();
        using Socket client = await TestClients.ConnectTcpAsync(server.Tcp);

        await client.SendAsync(new byte[] { 0, 0 });

        Assert.True(await TestClients.IsClosedByServerAsync(client, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Connection_BeyondMaxConnections_IsClosedAtOnce()
    {
        ServerOptions options = TestListeners.Options() with { MaxTcpConnections = 2 };
        await using TestListeners server = await TestListeners.StartAsync(options);
        using Socket first = await TestClients.ConnectTcpAsync(server.Tcp);
        using Socket second = await TestClients.ConnectTcpAsync(server.Tcp);
        await first.SendAsync(DnsMessages.Framed(DnsMessages.Query(1)));
        await second.SendAsync(DnsMessages.Framed(DnsMessages.Query(2)));
        Assert.NotNull(await TestClients.ReadMessageAsync(first));
        Assert.NotNull(await TestClients.ReadMessageAsync(second));

        using Socket third = await TestClients.ConnectTcpAsync(server.Tcp);

        Assert.True(await TestClients.IsClosedByServerAsync(third, TimeSpan.FromSeconds(5)));
        Assert.False(await TestClients.IsClosedByServerAsync(first, TimeSpan.FromMilliseconds(100)));

        // A closed connection frees its place.
        first.Close();
        byte[]? answer = null;
        for (int attempt = 0; attempt < 50 && answer is null; attempt++)
        {
            using Socket fourth = await TestClients.ConnectTcpAsync(server.Tcp);
            await fourth.SendAsync(DnsMessages.Framed(DnsMessages.Query(4)));
            answer = await TestClients.ReadMessageAsync(fourth);
        }

        Assert.NotNull(answer);
    }

    [Fact]
    public async Task Stop_QueryInFlight_IsAnsweredThenClosed()
    {
        var handler = new EchoHandler { Gate = new ManualResetEventSlim(false) };
        TestListeners server = await TestListeners.StartAsync(handler: handler);
        using Socket busy = await TestClients.ConnectTcpAsync(server.Tcp);
        using Socket idle = await TestClients.ConnectTcpAsync(server.Tcp);
        await busy.SendAsync(DnsMessages.Framed(DnsMessages.Query(42)));
        while (handler.Calls == 0)
        {
            await Task.Delay(10);
        }

        Task stop = server.Listeners.StopAsync(CancellationToken.None);
        Assert.True(await TestClients.IsClosedByServerAsync(idle, TimeSpan.FromSeconds(5)));
        Assert.False(stop.IsCompleted);
        handler.Gate.Set();

        byte[]? answer = await TestClients.ReadMessageAsync(busy);
        await stop.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(answer);
        Assert.Equal(42, DnsMessages.Id(answer));
        Assert.True(await TestClients.IsClosedByServerAsync(busy, TimeSpan.FromSeconds(5)));
        await server.DisposeAsync();
    }
}
