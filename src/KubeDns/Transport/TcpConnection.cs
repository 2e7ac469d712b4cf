using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using KubeDns.Protocol;
using KubeDns.Resolution;

namespace KubeDns.Transport;

/// <summary>
/// One accepted DNS-over-TCP connection (RFC 7766): reads length-prefixed queries, answers them in order
/// (a client may pipeline several), and closes when the client closes, sends a zero-length message, stays
/// silent (or sends a partial message) past the idle timeout, or the server stops.
/// </summary>
internal sealed class TcpConnection : IThreadPoolWorkItem
{
    private const int PrefixLength = 2;

    [ThreadStatic]
    private static byte[]? t_scratch;

    private readonly Socket _socket;
    private readonly TcpServer _server;
    private readonly byte[] _client;
    private volatile bool _timedOut;

    public TcpConnection(Socket socket, TcpServer server)
    {
        _socket = socket;
        _server = server;
        _client = ClientAddress.Of(socket);
    }

    /// <summary>Starts the connection's loop; the accept loop queues the connection rather than run it inline.</summary>
    public void Execute() => _ = RunAsync();

    /// <summary>Closes the socket now, from any thread; a pending read or write ends with an error.</summary>
    public void Abort() => _socket.Dispose();

    private async Task RunAsync()
    {
        var received = new TcpReceiveBuffer();
        ITimer idle = _server.Time.CreateTimer(static state => ((TcpConnection)state!).OnIdle(), this, _server.IdleTimeout, Timeout.InfiniteTimeSpan);
        string reason = "client closed";
        try
        {
            _socket.NoDelay = true; // pipelined answers must not wait for the client's delayed ACK (Nagle)
            while (true)
            {
                if (received.TryTakeMessage(out ReadOnlyMemory<byte> query))
                {
                    if (query.IsEmpty)
                    {
                        reason = "zero-length message";
                        return;
                    }

                    // The deadline covers answering this query and receiving the whole next one (slow-loris).
                    idle.Change(_server.IdleTimeout, Timeout.InfiniteTimeSpan);

                    // Answered synchronously into this thread's scratch buffer, then copied after a two-byte prefix
                    // into a pooled array of the answer's size, so prefix and message leave in one send. Small
                    // arrays pool well across threads; a 64 KiB one per query would not.
                    byte[] scratch = t_scratch ??= new byte[DnsLimits.MaxMessageSize];
                    int length = Answer(query.Span, scratch);
                    if (length == IQueryHandler.Deferred)
                    {
                        // Forwarded upstream: answered in order, like every query on this connection.
                        await AnswerDeferredAsync(query).ConfigureAwait(false);
                        continue;
                    }

                    if (length > 0)
                    {
                        byte[] response = ArrayPool<byte>.Shared.Rent(PrefixLength + length);
                        try
                        {
                            BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)length);
                            scratch.AsSpan(0, length).CopyTo(response.AsSpan(PrefixLength));

                            // A stream socket's send completes only when every byte is written.
                            await _socket.SendAsync(response.AsMemory(0, PrefixLength + length), SocketFlags.None).ConfigureAwait(false);
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(response);
                        }
                    }

                    continue;
                }

                // Between messages is the only place a stopping server drops the connection: queries already
                // received are answered first.
                int read = await _socket.ReceiveAsync(received.FreeSpace, SocketFlags.None, _server.Stopping).ConfigureAwait(false);
                if (read == 0)
                {
                    reason = received.Pending == 0 ? "client closed" : "client closed mid-message";
                    return;
                }

                received.Commit(read);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            reason = _timedOut ? "idle timeout" : _server.Stopping.IsCancellationRequested ? "server stopping" : ex.Message;
        }
        finally
        {
            await idle.DisposeAsync().ConfigureAwait(false);
            _socket.Dispose();
            received.Dispose();
            _server.OnClosed(this, reason);
        }
    }

    private async Task AnswerDeferredAsync(ReadOnlyMemory<byte> query)
    {
        byte[] response = ArrayPool<byte>.Shared.Rent(PrefixLength + DnsLimits.MaxMessageSize);
        try
        {
            int length;
            try
            {
                length = await _server.Handler.HandleDeferredAsync(query, response.AsMemory(PrefixLength, DnsLimits.MaxMessageSize), DnsTransport.Tcp, _client, _server.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
#pragma warning disable CA1031 // A handler bug must cost one answer, not the connection.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _server.Failures.Report(ex, DnsTransport.Tcp);
                return;
            }

            if (length > 0 && length <= DnsLimits.MaxMessageSize)
            {
                BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)length);
                await _socket.SendAsync(response.AsMemory(0, PrefixLength + length), SocketFlags.None).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    private int Answer(ReadOnlySpan<byte> query, Span<byte> response)
    {
        int length;
        try
        {
            length = _server.Handler.Handle(query, response, DnsTransport.Tcp, _client);
        }
#pragma warning disable CA1031 // A handler bug must cost one answer, not the connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _server.Failures.Report(ex, DnsTransport.Tcp);
            return 0;
        }

        return length == IQueryHandler.Deferred || (length > 0 && length <= response.Length) ? length : 0;
    }

    private void OnIdle()
    {
        _timedOut = true;
        Abort();
    }
}
