using System.Net;
using System.Net.Sockets;
using KubeDns.Hosting;
using KubeDns.Resolution;
using KubeDns.Tests.Transport;
using KubeDns.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace KubeDns.Tests.Hosting;

/// <summary>
/// Runs the real host wiring. Manifests point at an empty folder, so whatever sources the zone registration
/// adds start cleanly; the tests' <see cref="EchoHandler"/> is registered last and so is the one resolved.
/// </summary>
public sealed class ServerHostTests : IDisposable
{
    private readonly DirectoryInfo _manifests = Directory.CreateTempSubdirectory("kubedns-host-");

    public void Dispose() => _manifests.Delete(recursive: true);

    [Fact]
    public async Task AddDnsServer_WithAHandler_ServesOnTheListenAddresses()
    {
        HostApplicationBuilder builder = ServerHost.CreateBuilder(Options());
        builder.Services.AddSingleton<IQueryHandler, EchoHandler>();
        using IHost host = builder.Build();

        await host.StartAsync();
        DnsListeners listeners = host.Services.GetRequiredService<DnsListeners>();
        byte[] answer = await TestClients.ExchangeUdpAsync(listeners.UdpEndPoints[0], DnsMessages.Query(77));
        await host.StopAsync();

        Assert.Equal(77, DnsMessages.Id(answer));
        Assert.Contains(listeners, host.Services.GetServices<IHostedService>());
        Assert.Same(TimeProvider.System, host.Services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task RunAsync_UntilCancelled_ServesAndReturnsZero()
    {
        IPEndPoint endPoint = FreeLoopbackPort();
        using var stop = new CancellationTokenSource();
        using var error = new StringWriter();

        Task<int> run = ServerHost.RunAsync(Options(endPoint), error, AddEchoHandler, stop.Token);
        byte[]? answer = await ExchangeWhenUpAsync(endPoint, run);
        await stop.CancelAsync();
        int exitCode = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(answer);
        Assert.Equal(0, exitCode);
        Assert.Empty(error.ToString());
    }

    [Fact]
    public async Task RunAsync_PortInUse_WritesOneLineAndFails()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endPoint = (IPEndPoint)taken.LocalEndPoint!;
        using var error = new StringWriter();

        int exitCode = await ServerHost.RunAsync(Options(endPoint), error, AddEchoHandler);

        Assert.Equal(ServerHost.FailureExitCode, exitCode);
        string line = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"kubedns: start-up failed: cannot listen on udp 127.0.0.1:{endPoint.Port}: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoQueryHandlerRegistered_WritesOneLineAndFails()
    {
        using var error = new StringWriter();

        int exitCode = await ServerHost.RunAsync(Options(), error, services => services.RemoveAll<IQueryHandler>());

        Assert.Equal(ServerHost.FailureExitCode, exitCode);
        string line = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("IQueryHandler", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BackgroundServiceFails_WritesOneLineAndFails()
    {
        using var error = new StringWriter();

        int exitCode = await ServerHost.RunAsync(Options(), error, services =>
        {
            AddEchoHandler(services);
            services.AddHostedService<FailingService>();
        });

        Assert.Equal(ServerHost.FailureExitCode, exitCode);
        Assert.Equal($"kubedns: stopped after a failure: {FailingService.Message}{Environment.NewLine}", error.ToString());
    }

    [Fact]
    public void FailureLine_NestedMultiLineError_IsOneLineWithTheInnerMessage()
    {
        var error = new AggregateException(new InvalidOperationException("first line\nsecond line"));

        Assert.Equal("kubedns: start-up failed: first line second line", ServerHost.FailureLine("start-up failed", error));
    }

    private ServerOptions Options(params IPEndPoint[] listen) => TestListeners.Options(listen) with { Manifests = [_manifests.FullName] };

    private static void AddEchoHandler(IServiceCollection services) => services.AddSingleton<IQueryHandler, EchoHandler>();

    private static IPEndPoint FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)probe.LocalEndPoint!;
    }

    private static async Task<byte[]?> ExchangeWhenUpAsync(IPEndPoint endPoint, Task<int> run)
    {
        for (int attempt = 0; attempt < 50 && !run.IsCompleted; attempt++)
        {
            using Socket client = TestClients.Udp(endPoint);
            await client.SendToAsync(DnsMessages.Query(5), SocketFlags.None, endPoint);
            byte[]? answer = await TestClients.ReceiveAsync(client, TimeSpan.FromMilliseconds(200));
            if (answer is not null)
            {
                return answer;
            }
        }

        return null;
    }

    private sealed class FailingService : BackgroundService
    {
        public const string Message = "the source broke";

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(50, stoppingToken);
            throw new InvalidOperationException(Message);
        }
    }
}
