using System.Buffers;
using System.Net;
using System.Net.Sockets;
using KubeDns.Protocol;
using KubeDns.Resolution;
using Microsoft.Extensions.Logging;

namespace KubeDns.Transport;

/// <summary>
/// DNS over UDP on one address: several sockets bound to the same port (SO_REUSEPORT), one receive thread
/// each: on Linux batches of datagrams through recvmmsg/sendmmsg (<see cref="BatchedUdp"/>), elsewhere one
/// datagram at a time. A loop owns its buffers and peer addresses, so a datagram costs no allocation.
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
            // Handler failures are caught per query; anything else escaping the loop is a bug that ends the
            // process (the kubelet restarts it) rather than leave a socket that the kernel still feeds unread.
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    if (OperatingSystem.IsLinux())
                    {
                        ReceiveBatches(socket);
                    }
                    else
                    {
                        ReceiveLoop(socket);
                    }
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
        Span<byte> clientBuffer = stackalloc byte[16];
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

            var client = clientBuffer[..ClientAddress.Read(peer, clientBuffer)];
            int length = Answer(query.AsSpan(0, received), response, client);
            if (length == IQueryHandler.Deferred)
            {
                AnswerLater(socket, query.AsSpan(0, received), peer, client);
                continue;
            }

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

    /// <summary>
    /// Linux: batches of up to <see cref="BatchedUdp.Size"/> datagrams, one recvmmsg and one sendmmsg per
    /// batch (measured in the load benchmark). The handle is held while the loop runs, so closing the socket
    /// cannot hand its descriptor number to another socket under a blocked receive; the receive timeout lets
    /// the loop see the stop.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private void ReceiveBatches(Socket socket)
    {
        socket.ReceiveTimeout = 250;
        var added = false;
        socket.SafeHandle.DangerousAddRef(ref added);
        try
        {
            using var batch = new BatchedUdp(socket, DnsLimits.MaxUdpPayload);
            byte[] response = new byte[DnsLimits.MaxMessageSize];
            Span<byte> client = stackalloc byte[16];
            while (!_stopping)
            {
                int count;
                try
                {
                    count = batch.Receive();
                }
                catch (SocketException ex)
                {
                    Log.UdpReceiveFailed(_logger, LocalEndPoint, ex.SocketErrorCode);
                    continue;
                }

                for (int i = 0; i < count; i++)
                {
                    ReadOnlySpan<byte> query = batch.Query(i);
                    ReadOnlySpan<byte> peer = batch.Peer(i);
                    if (query.IsEmpty || peer.Length < 2)
                    {
                        continue; // cut (too long), or no sender: what a receive returns once the socket is shut down
                    }

                    var family = BatchedUdp.FamilyOf(peer);
                    var address = client[..ClientAddress.Read(family, peer, client)];
                    int length = Answer(query, response, address);
                    if (length == IQueryHandler.Deferred)
                    {
                        var peerCopy = new SocketAddress(family, peer.Length);
                        peer.CopyTo(peerCopy.Buffer.Span);
                        AnswerLater(socket, query, peerCopy, address);
                    }
                    else if (length > 0)
                    {
                        batch.Answer(i, response.AsSpan(0, length));
                    }
                }

                batch.Flush();
            }
        }
        finally
        {
            if (added)
            {
                socket.SafeHandle.DangerousRelease();
            }
        }
    }

    /// <summary>The answer's length, 0 when there is nothing to send, or <see cref="IQueryHandler.Deferred"/>.</summary>
    private int Answer(ReadOnlySpan<byte> query, Span<byte> response, ReadOnlySpan<byte> client)
    {
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

        return length == IQueryHandler.Deferred || (length > 0 && length <= response.Length) ? length : 0;
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
