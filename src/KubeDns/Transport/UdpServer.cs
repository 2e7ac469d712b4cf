using System.Buffers;
using System.Net;
using System.Net.Sockets;
using KubeDns.Protocol;
using KubeDns.Resolution;
using Microsoft.Extensions.Logging;

namespace KubeDns.Transport;

/// <summary>
/// DNS over UDP on one address: several sockets bound to the same port (SO_REUSEPORT), one receive loop
/// each. A loop owns its buffers and its peer <see cref="SocketAddress"/>, so a datagram costs no allocation.
/// </summary>
internal sealed class UdpServer : IDisposable
{
    private readonly Socket[] _sockets;
    private readonly IQueryHandler _handler;
    private readonly HandlerFailures _failures;
    private readonly ILogger _logger;
    private Task[] _loops = [];
    private volatile bool _stopping;

    private UdpServer(Socket[] sockets, IQueryHandler handler, HandlerFailures failures, ILogger logger)
    {
        _sockets = sockets;
        _handler = handler;
        _failures = failures;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)sockets[0].LocalEndPoint!;
    }

    /// <summary>The address and port the sockets are bound to (the real port when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    public int SocketCount => _sockets.Length;

    /// <summary>
    /// Binds <paramref name="socketCount"/> sockets to <paramref name="endPoint"/>. For port 0 the first socket
    /// picks the port and the others join it. Throws <see cref="ListenException"/> and leaves nothing open.
    /// </summary>
    public static UdpServer Bind(IPEndPoint endPoint, int socketCount, IQueryHandler handler, HandlerFailures failures, ILogger logger)
    {
        // Only Linux balances SO_REUSEPORT sockets; elsewhere ReuseAddress would let another process take the port.
        int count = OperatingSystem.IsLinux() ? Math.Max(1, socketCount) : 1;
        var sockets = new Socket[count];
        int bound = 0;
        try
        {
            sockets[bound++] = ListenSockets.BindUdp(endPoint, reusePort: count > 1);
            var shared = (IPEndPoint)sockets[0].LocalEndPoint!;
            while (bound < count)
            {
                sockets[bound++] = ListenSockets.BindUdp(shared, reusePort: true);
            }

            return new UdpServer(sockets, handler, failures, logger);
        }
        catch
        {
            for (int i = 0; i < count; i++)
            {
                sockets[i]?.Dispose();
            }

            throw;
        }
    }

    public void Start()
    {
        var loops = new Task[_sockets.Length];
        for (int i = 0; i < loops.Length; i++)
        {
            Socket socket = _sockets[i];

            // One dedicated thread per socket with blocking receive and send: measured faster than the async
            // loop (no state machine, no thread-pool hop per datagram; see benchmarks/README.md, load benchmark).
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    ReceiveLoop(socket);
                }
                finally
                {
                    done.SetResult();
                }
            })
            {
                IsBackground = true,
                Name = $"udp {LocalEndPoint} #{i}",
            };
            thread.Start();
            loops[i] = done.Task;
        }

        _loops = loops;
    }

    /// <summary>Closes the sockets, which ends the pending receives, and waits for the loops to end.</summary>
    public Task StopAsync()
    {
        _stopping = true;
        Close();
        return Task.WhenAll(_loops);
    }

    public void Dispose() => Close();

    /// <summary>Closes the sockets without waiting for the loops.</summary>
    public void Close()
    {
        _stopping = true;
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private void ReceiveLoop(Socket socket)
    {
        byte[] query = new byte[DnsLimits.MaxMessageSize];
        byte[] response = new byte[DnsLimits.MaxMessageSize];
        var peer = new SocketAddress(socket.AddressFamily);
        while (true)
        {
            int received;
            try
            {
                received = socket.ReceiveFrom(query, SocketFlags.None, peer);
            }
            catch (Exception ex) when (_stopping && ex is SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // e.g. ConnectionReset from an ICMP port unreachable (Windows reports those on receive).
                Log.UdpReceiveFailed(_logger, LocalEndPoint, ex.SocketErrorCode);
                continue;
            }

            int length = Answer(socket, query.AsSpan(0, received), response, peer);
            if (length == 0)
            {
                continue;
            }

            try
            {
                socket.SendTo(response.AsSpan(0, length), SocketFlags.None, peer);
            }
            catch (Exception ex) when (_stopping && ex is SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                Log.UdpSendFailed(_logger, LocalEndPoint, ex.SocketErrorCode);
            }
        }
    }

    /// <summary>The answer's length, or 0 when there is nothing to send now (dropped, or deferred to its own task).</summary>
    private int Answer(Socket socket, ReadOnlySpan<byte> query, Span<byte> response, SocketAddress peer)
    {
        Span<byte> client = stackalloc byte[16];
        client = client[..ClientAddress.Read(peer, client)];
        int length;
        try
        {
            length = _handler.Handle(query, response, DnsTransport.Udp, client);
        }
#pragma warning disable CA1031 // A handler bug must cost one answer, not the listener.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failures.Report(ex, DnsTransport.Udp);
            return 0;
        }

        if (length == IQueryHandler.Deferred)
        {
            AnswerLater(socket, query, peer, client);
            return 0;
        }

        return length > 0 && length <= response.Length ? length : 0;
    }

    /// <summary>
    /// A deferred query (forwarded upstream) is answered from its own task, with copies of the query and the
    /// peer address, so the receive loop goes on at once. The handler bounds how many are in flight.
    /// </summary>
    private void AnswerLater(Socket socket, ReadOnlySpan<byte> query, SocketAddress peer, ReadOnlySpan<byte> client)
    {
        byte[] copy = ArrayPool<byte>.Shared.Rent(query.Length);
        query.CopyTo(copy);
        var peerCopy = new SocketAddress(peer.Family, peer.Size);
        peer.Buffer.CopyTo(peerCopy.Buffer);
        _ = AnswerLaterAsync(socket, copy, query.Length, peerCopy, client.ToArray());
    }

    private async Task AnswerLaterAsync(Socket socket, byte[] query, int queryLength, SocketAddress peer, byte[] client)
    {
        byte[] response = ArrayPool<byte>.Shared.Rent(DnsLimits.MaxMessageSize);
        try
        {
            int length = await _handler.HandleDeferredAsync(query.AsMemory(0, queryLength), response, DnsTransport.Udp, client, CancellationToken.None).ConfigureAwait(false);
            if (length > 0 && !_stopping)
            {
                await socket.SendToAsync(response.AsMemory(0, length), SocketFlags.None, peer).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The listener closed, or the send failed: the client retries.
        }
#pragma warning disable CA1031 // A handler bug must cost one answer, not the listener.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failures.Report(ex, DnsTransport.Udp);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(query);
            ArrayPool<byte>.Shared.Return(response);
        }
    }
}
