using System.Net;
using KubeDns.Hosting;
using KubeDns.Monitoring;
using KubeDns.Resolution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeDns.Transport;

/// <summary>
/// Serves DNS over UDP and TCP on every <see cref="ServerOptions.Listen"/> address. All sockets are bound in
/// <see cref="StartAsync"/>, so an address in use fails start-up with a <see cref="ListenException"/> naming
/// it; <see cref="StopAsync"/> closes them and lets TCP connections answer what they have received.
/// </summary>
internal sealed class DnsListeners : IHostedService, IDisposable, IAsyncDisposable
{
    /// <summary>How long stopping waits for TCP connections to answer queries already received.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly IQueryHandler _handler;
    private readonly ServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HandlerFailures _failures;
    private readonly DnsMetrics? _metrics;
    private readonly List<UdpServer> _udp = [];
    private readonly List<TcpServer> _tcp = [];
    private bool _started;

    /// <param name="metrics">When given, each listener counts its queries into its own series.</param>
    public DnsListeners(IQueryHandler handler, ServerOptions options, TimeProvider time, ILogger<DnsListeners> logger, DnsMetrics? metrics = null)
    {
        _handler = handler;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger;
        _failures = new HandlerFailures(logger, metrics is null ? null : metrics.CountPanic);
    }

    /// <summary>The bound UDP addresses, in the order of <see cref="ServerOptions.Listen"/> (real ports for port 0).</summary>
    public IReadOnlyList<IPEndPoint> UdpEndPoints { get; private set; } = [];

    /// <summary>The bound TCP addresses, in the order of <see cref="ServerOptions.Listen"/> (real ports for port 0).</summary>
    public IReadOnlyList<IPEndPoint> TcpEndPoints { get; private set; } = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            throw new InvalidOperationException("The DNS listeners are already started.");
        }

        try
        {
            foreach (IPEndPoint endPoint in _options.Listen)
            {
                UdpServer udp = UdpServer.Bind(endPoint, _options.UdpSockets, Measured(endPoint, DnsTransport.Udp), _failures, _logger);
                _udp.Add(udp);
                _tcp.Add(BindTcp(endPoint, udp.LocalEndPoint));
            }
        }
        catch
        {
            CloseAll();
            throw;
        }

        _started = true;
        UdpEndPoints = _udp.ConvertAll(server => server.LocalEndPoint);
        TcpEndPoints = _tcp.ConvertAll(server => server.LocalEndPoint);
        for (int i = 0; i < _udp.Count; i++)
        {
            _udp[i].Start();
            _tcp[i].Start();
            Log.Listening(_logger, _udp[i].LocalEndPoint, _udp[i].SocketCount, _tcp[i].LocalEndPoint);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        var stops = new List<Task>(_udp.Count + _tcp.Count);
        stops.AddRange(_udp.ConvertAll(server => server.StopAsync()));
        stops.AddRange(_tcp.ConvertAll(server => server.StopAsync(DrainTimeout, cancellationToken)));
        await Task.WhenAll(stops).ConfigureAwait(false);
        Log.Stopped(_logger, _udp.Count);
        CloseAll();
    }

    public void Dispose()
    {
        _started = false;
        CloseAll();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        CloseAll();
    }

    // For port 0, TCP takes the port UDP got, so one address serves both as DNS clients expect (a truncated
    // UDP answer is retried over TCP on the same port); if that port is taken for TCP, any port will do.
    private TcpServer BindTcp(IPEndPoint requested, IPEndPoint udpBound)
    {
        IQueryHandler handler = Measured(requested, DnsTransport.Tcp);
        if (requested.Port != 0)
        {
            return TcpServer.Bind(requested, handler, _failures, _options.MaxTcpConnections, _options.TcpIdleTimeout, _time, _logger);
        }

        try
        {
            return TcpServer.Bind(udpBound, handler, _failures, _options.MaxTcpConnections, _options.TcpIdleTimeout, _time, _logger);
        }
        catch (ListenException)
        {
            return TcpServer.Bind(requested, handler, _failures, _options.MaxTcpConnections, _options.TcpIdleTimeout, _time, _logger);
        }
    }

    /// <summary>The resolver, counting into this listener's series (CoreDNS's server label: <c>dns://ADDR:PORT</c>).</summary>
    private IQueryHandler Measured(IPEndPoint endPoint, DnsTransport transport) => _metrics is null
        ? _handler
        : new MeasuredQueryHandler(_handler, _metrics.For($"dns://{endPoint}", transport, endPoint.AddressFamily));

    private void CloseAll()
    {
        foreach (UdpServer server in _udp)
        {
            server.Dispose();
        }

        foreach (TcpServer server in _tcp)
        {
            server.Dispose();
        }

        _udp.Clear();
        _tcp.Clear();
    }
}
