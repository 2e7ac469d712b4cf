using System.Net;
using KubeDns.Hosting;
using KubeDns.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeDns.Tests.Transport;

/// <summary>Started <see cref="DnsListeners"/> on loopback port 0 with an <see cref="EchoHandler"/>; disposing stops them.</summary>
internal sealed class TestListeners : IAsyncDisposable
{
    private TestListeners(DnsListeners listeners, EchoHandler handler)
    {
        Listeners = listeners;
        Handler = handler;
    }

    public DnsListeners Listeners { get; }

    public EchoHandler Handler { get; }

    public IPEndPoint Udp => Listeners.UdpEndPoints[0];

    public IPEndPoint Tcp => Listeners.TcpEndPoints[0];

    public static ServerOptions Options(params IPEndPoint[] listen) => new()
    {
        Manifests = ["unused"],
        Listen = listen.Length > 0 ? listen : [new IPEndPoint(IPAddress.Loopback, 0)],
        UdpSockets = 2,
    };

    public static async Task<TestListeners> StartAsync(ServerOptions? options = null, EchoHandler? handler = null)
    {
        handler ??= new EchoHandler();
        var listeners = new DnsListeners(handler, options ?? Options(), TimeProvider.System, NullLogger<DnsListeners>.Instance);
        await listeners.StartAsync(CancellationToken.None);
        return new TestListeners(listeners, handler);
    }

    public ValueTask DisposeAsync() => Listeners.DisposeAsync();
}
