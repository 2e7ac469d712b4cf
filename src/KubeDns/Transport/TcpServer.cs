using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using KubeDns.Resolution;
using Microsoft.Extensions.Logging;

namespace KubeDns.Transport;

/// <summary>
/// DNS over TCP on one address: an accept loop, a bound on open connections (beyond it a new connection is
/// closed at once), and a bounded drain on stop so that queries already received are answered.
/// </summary>
internal sealed class TcpServer : IDisposable
{
    private static readonly TimeSpan AcceptBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LimitLogInterval = TimeSpan.FromMinutes(1);

    private readonly Socket _listener;
    private readonly int _maxConnections;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<TcpConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stopToken;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _acceptLoop = Task.CompletedTask;
    private int _open;
    private long _limitLoggedAt = long.MinValue;

    private TcpServer(Socket listener, IQueryHandler handler, HandlerFailures failures, int maxConnections, TimeSpan idleTimeout, TimeProvider time, ILogger logger)
    {
        _listener = listener;
        Handler = handler;
        Failures = failures;
        _maxConnections = maxConnections;
        IdleTimeout = idleTimeout;
        Time = time;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _stopToken = _stopping.Token; // read once: connections may still look at it after Dispose
    }

    /// <summary>The address and port the listener is bound to (the real port when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Connections open now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    internal IQueryHandler Handler { get; }

    internal HandlerFailures Failures { get; }

    internal TimeSpan IdleTimeout { get; }

    internal TimeProvider Time { get; }

    /// <summary>Cancelled when the server stops: connections stop reading and close once they have answered.</summary>
    internal CancellationToken Stopping => _stopToken;

    /// <summary>Binds and listens on <paramref name="endPoint"/>; throws <see cref="ListenException"/>.</summary>
    public static TcpServer Bind(IPEndPoint endPoint, IQueryHandler handler, HandlerFailures failures, int maxConnections, TimeSpan idleTimeout, TimeProvider time, ILogger logger)
        => new(ListenSockets.BindTcp(endPoint), handler, failures, maxConnections, idleTimeout, time, logger);

    public void Start() => _acceptLoop = Task.Run(AcceptLoopAsync);

    /// <summary>
    /// Stops accepting, lets each connection answer what it has received, and closes them. Connections still
    /// busy after <paramref name="drainTimeout"/> (or when <paramref name="cancellationToken"/> fires) are closed.
    /// </summary>
    public async Task StopAsync(TimeSpan drainTimeout, CancellationToken cancellationToken)
    {
        // Cancel before closing the listener, so the accept loop knows its failing accept means "stop".
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        if (Volatile.Read(ref _open) == 0)
        {
            _drained.TrySetResult();
        }

        try
        {
            await _drained.Task.WaitAsync(drainTimeout, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            Log.TcpDrainTimedOut(_logger, _connections.Count, LocalEndPoint, drainTimeout);
            Close();
        }
    }

    public void Dispose()
    {
        Close();
        _stopping.Dispose();
    }

    /// <summary>Closes the listener and every connection without waiting.</summary>
    public void Close()
    {
        if (!_stopToken.IsCancellationRequested)
        {
            _stopping.Cancel();
        }

        _listener.Dispose();
        foreach (TcpConnection connection in _connections.Keys)
        {
            connection.Abort();
        }
    }

    internal void OnClosed(TcpConnection connection, string reason)
    {
        _connections.TryRemove(connection, out _);
        Log.TcpConnectionClosed(_logger, LocalEndPoint, reason);
        if (Interlocked.Decrement(ref _open) == 0 && _stopToken.IsCancellationRequested)
        {
            _drained.TrySetResult();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (_stopToken.IsCancellationRequested && ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            catch (SocketException ex)
            {
                Log.TcpAcceptFailed(_logger, LocalEndPoint, ex.SocketErrorCode);

                // Out of file descriptors or buffers: give the system a moment instead of spinning.
                await Task.Delay(AcceptBackoff, Time).ConfigureAwait(false);
                continue;
            }

            if (Interlocked.Increment(ref _open) > _maxConnections)
            {
                Interlocked.Decrement(ref _open);
                client.Dispose();
                LogLimitReached();
                continue;
            }

            var connection = new TcpConnection(client, this);
            _connections.TryAdd(connection, 0);
            ThreadPool.UnsafeQueueUserWorkItem(connection, preferLocal: false);
        }
    }

    // Rejections come in bursts at line rate: one warning a minute is enough to see it.
    private void LogLimitReached()
    {
        long now = Time.GetTimestamp();
        if (_limitLoggedAt == long.MinValue || Time.GetElapsedTime(_limitLoggedAt, now) >= LimitLogInterval)
        {
            _limitLoggedAt = now;
            Log.TcpConnectionLimitReached(_logger, _maxConnections, LocalEndPoint);
        }
    }
}
