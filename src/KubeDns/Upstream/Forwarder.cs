using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using KubeDns.Protocol;
using Microsoft.Extensions.Logging;

namespace KubeDns.Upstream;

/// <summary>How a forwarded query ended.</summary>
internal enum ForwardOutcome
{
    /// <summary>An upstream answered (any rcode: relayed as it is).</summary>
    Answered,

    /// <summary>Every upstream timed out or failed.</summary>
    AllFailed,

    /// <summary>Too many queries in flight: refused at once rather than queued.</summary>
    OverLimit,
}

/// <summary>
/// Relays queries to the upstream resolvers: the client's message byte for byte (EDNS options, DO bit,
/// unknown types) under an ID of our own from a table of queries in flight, over UDP first and again over
/// TCP when the answer comes back truncated (RFC 7766 §5); per-upstream timeout, failover to the next, and
/// health tracking so a dead upstream is skipped until it is due another try. One UDP socket per address
/// family with one receive loop matches answers to queries by ID, source address and question.
/// </summary>
internal sealed partial class Forwarder : IDisposable
{
    private readonly UpstreamHealth[] _upstreams;
    private readonly TimeSpan _timeout;
    private readonly int _maxInFlight;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Pending?[] _slots = new Pending?[ushort.MaxValue + 1];
    private readonly Socket? _udp4;
    private readonly Socket? _udp6;
    private readonly CancellationTokenSource _stopping = new();
    private int _inFlight;

    private readonly Monitoring.UpstreamMetrics? _metrics;

    public Forwarder(IReadOnlyList<IPEndPoint> upstreams, TimeSpan timeout, int maxInFlight, TimeProvider time, ILogger<Forwarder> logger, Monitoring.UpstreamMetrics? metrics = null)
    {
        _metrics = metrics;
        _upstreams = [.. upstreams.Select(u => new UpstreamHealth(u, time))];
        _timeout = timeout;
        _maxInFlight = maxInFlight;
        _time = time;
        _logger = logger;
        if (upstreams.Any(u => u.AddressFamily == AddressFamily.InterNetwork))
        {
            _udp4 = Bind(AddressFamily.InterNetwork);
        }

        if (upstreams.Any(u => u.AddressFamily == AddressFamily.InterNetworkV6))
        {
            _udp6 = Bind(AddressFamily.InterNetworkV6);
        }

        Log.Forwarding(logger, string.Join(", ", upstreams), timeout.TotalMilliseconds, maxInFlight);
    }

    public IReadOnlyList<IPEndPoint> Upstreams => [.. _upstreams.Select(u => u.EndPoint)];

    /// <summary>
    /// True when a query with this ID and question is one of ours in flight: a forwarding loop brought it
    /// back (an upstream that forwards to us).
    /// </summary>
    public bool IsOwnQuery(ReadOnlySpan<byte> query, int questionEnd)
    {
        var pending = Volatile.Read(ref _slots[DnsHeader.ReadUInt16(query, DnsHeader.IdOffset)]);
        return pending is not null && SameQuestion(pending.Query.AsSpan(0, pending.Length), query, questionEnd);
    }

    /// <summary>
    /// Forwards <paramref name="query"/> and writes the answer, under the client's ID, to <paramref name="response"/>.
    /// <paramref name="maxLength"/> is what the client takes (its UDP limit, or 65535 over TCP).
    /// </summary>
    public async ValueTask<(ForwardOutcome Outcome, int Length)> ForwardAsync(
        ReadOnlyMemory<byte> query, int questionEnd, Memory<byte> response, int maxLength, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _inFlight) > _maxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            _metrics?.Rejected();
            return (ForwardOutcome.OverLimit, 0);
        }

        try
        {
            foreach (var upstream in Order())
            {
                var answer = await ExchangeAsync(upstream, query, questionEnd, maxLength, cancellationToken).ConfigureAwait(false);
                if (answer is null || answer.Length > response.Length)
                {
                    continue;
                }

                var length = answer.Length;

                answer.CopyTo(response);
                DnsHeader.WriteUInt16(response.Span, DnsHeader.IdOffset, DnsHeader.ReadUInt16(query.Span, DnsHeader.IdOffset));

                // We offer recursion whether or not the upstream does (an authoritative upstream leaves RA clear).
                DnsHeader.WriteUInt16(response.Span, DnsHeader.FlagsOffset, (ushort)(DnsHeader.ReadUInt16(response.Span, DnsHeader.FlagsOffset) | DnsHeader.RA));
                return (ForwardOutcome.Answered, length);
            }

            _metrics?.AllBroken();
            return (ForwardOutcome.AllFailed, 0);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _udp4?.Dispose();
        _udp6?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Healthy upstreams in the configured order, then the ones marked down (a last resort).</summary>
    private IEnumerable<UpstreamHealth> Order() =>
        _upstreams.Where(u => !u.IsDown).Concat(_upstreams.Where(u => u.IsDown));

    /// <summary>
    /// One upstream: UDP, then TCP if truncated; the whole TCP answer is kept when it fits the client's limit,
    /// else the truncated one goes back and the client retries over TCP. Null when it failed.
    /// </summary>
    private async Task<byte[]?> ExchangeAsync(UpstreamHealth upstream, ReadOnlyMemory<byte> query, int questionEnd, int maxLength, CancellationToken cancellationToken)
    {
        _metrics?.Forwarded(upstream.EndPoint);
        var started = _time.GetTimestamp();
        try
        {
            var answer = await UdpExchangeAsync(upstream.EndPoint, query, questionEnd, cancellationToken).ConfigureAwait(false);
            if ((DnsHeader.ReadUInt16(answer, DnsHeader.FlagsOffset) & DnsHeader.TC) != 0)
            {
                var whole = await TcpExchangeAsync(upstream.EndPoint, query, questionEnd, cancellationToken).ConfigureAwait(false);
                if (whole.Length <= maxLength)
                {
                    answer = whole;
                }
            }

            upstream.Succeeded();
            _metrics?.Answered(upstream.EndPoint, Monitoring.DnsLabels.Rcodes[Monitoring.DnsLabels.RcodeIndex(answer)], _time.GetElapsedTime(started));
            return answer;
        }
        catch (Exception ex) when (ex is TimeoutException or SocketException or IOException or InvalidDataException or ObjectDisposedException)
        {
            if (upstream.Failed())
            {
                Log.UpstreamDown(_logger, upstream.EndPoint, ex.Message, UpstreamHealth.DownFor.TotalSeconds);
            }

            return null;
        }
    }

    private async Task<byte[]> UdpExchangeAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, int questionEnd, CancellationToken cancellationToken)
    {
        var socket = upstream.AddressFamily == AddressFamily.InterNetworkV6 ? _udp6! : _udp4!;
        var pending = new Pending(upstream, query.Span);
        var id = Reserve(pending);
        try
        {
            DnsHeader.WriteUInt16(pending.Query, DnsHeader.IdOffset, id);
            await socket.SendToAsync(pending.Query.AsMemory(0, pending.Length), SocketFlags.None, upstream, cancellationToken).ConfigureAwait(false);
            return await pending.Answer.Task.WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.CompareExchange(ref _slots[id], null, pending);
            pending.Dispose();
        }
    }

    /// <summary>A fresh TCP connection per truncated answer (RFC 7766 §5): rare enough not to pool.</summary>
    private async Task<byte[]> TcpExchangeAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, int questionEnd, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(_timeout);
        using var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(upstream, timeout.Token).ConfigureAwait(false);
            var framed = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.Span.CopyTo(framed.AsSpan(2));
            var id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
            DnsHeader.WriteUInt16(framed.AsSpan(2), DnsHeader.IdOffset, id);
            await socket.SendAsync(framed, SocketFlags.None, timeout.Token).ConfigureAwait(false);

            var prefix = new byte[2];
            await ReceiveExactlyAsync(socket, prefix, timeout.Token).ConfigureAwait(false);
            var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            await ReceiveExactlyAsync(socket, answer, timeout.Token).ConfigureAwait(false);
            return IsAnswerTo(answer, id, framed.AsSpan(2), questionEnd) ? answer : throw new InvalidDataException("the TCP answer does not match the query");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no TCP answer within {_timeout.TotalMilliseconds} ms");
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the upstream closed the TCP connection mid-answer");
            }

            buffer = buffer[read..];
        }
    }

    /// <summary>A free ID in the table of queries in flight, picked at random (RFC 5452 §9.2: unpredictable IDs).</summary>
    private ushort Reserve(Pending pending)
    {
        var start = Random.Shared.Next(ushort.MaxValue + 1);
        for (var i = 0; i <= ushort.MaxValue; i++)
        {
            var id = (ushort)(start + i);
            if (Interlocked.CompareExchange(ref _slots[id], pending, null) is null)
            {
                return id;
            }
        }

        throw new InvalidOperationException("every query ID is in flight"); // unreachable below the in-flight bound
    }

    private Socket Bind(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        _ = Task.Run(() => ReceiveLoopAsync(socket));
        return socket;
    }

    private async Task ReceiveLoopAsync(Socket socket)
    {
        var buffer = new byte[DnsLimits.MaxMessageSize];
        var from = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // e.g. an ICMP error reported on the socket: the query it belongs to times out
            }

            var answer = buffer.AsSpan(0, received.ReceivedBytes);
            if (answer.Length < DnsHeader.Size)
            {
                continue;
            }

            var pending = Volatile.Read(ref _slots[DnsHeader.ReadUInt16(answer, DnsHeader.IdOffset)]);
            if (pending is not null && received.RemoteEndPoint.Equals(pending.Upstream)
                && IsAnswerTo(answer, DnsHeader.ReadUInt16(answer, DnsHeader.IdOffset), pending.Query.AsSpan(0, pending.Length), pending.QuestionEnd))
            {
                pending.Answer.TrySetResult(answer.ToArray());
            }
        }
    }

    /// <summary>A response (QR) with our ID and our question: anything else is stray or spoofed (RFC 5452 §4.3).</summary>
    private static bool IsAnswerTo(ReadOnlySpan<byte> answer, ushort id, ReadOnlySpan<byte> query, int questionEnd) =>
        answer.Length >= DnsHeader.Size
        && (DnsHeader.ReadUInt16(answer, DnsHeader.FlagsOffset) & DnsHeader.QR) != 0
        && DnsHeader.ReadUInt16(answer, DnsHeader.IdOffset) == id
        && SameQuestion(query, answer, questionEnd);

    /// <summary>The question sections match, names compared without case (RFC 4343).</summary>
    private static bool SameQuestion(ReadOnlySpan<byte> query, ReadOnlySpan<byte> other, int questionEnd)
    {
        if (other.Length < questionEnd || DnsHeader.ReadUInt16(other, DnsHeader.QuestionCountOffset) != 1)
        {
            return false;
        }

        for (var i = DnsHeader.Size; i < questionEnd; i++)
        {
            if (Fold(query[i]) != Fold(other[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int Fold(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? b | 0x20 : b;

    /// <summary>One UDP query in flight: our copy of it (under our ID), and where its answer goes.</summary>
    private sealed class Pending : IDisposable
    {
        public Pending(IPEndPoint upstream, ReadOnlySpan<byte> query)
        {
            Upstream = upstream;
            Length = query.Length;
            Query = ArrayPool<byte>.Shared.Rent(query.Length);
            query.CopyTo(Query);
            QuestionEnd = Math.Min(query.Length, MessageNames.Skip(query, DnsHeader.Size) + 4);
        }

        public IPEndPoint Upstream { get; }

        public byte[] Query { get; }

        public int Length { get; }

        public int QuestionEnd { get; }

        public TaskCompletionSource<byte[]> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Dispose() => ArrayPool<byte>.Shared.Return(Query);
    }

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Information, "Forwarding names outside the cluster to {Upstreams} ({TimeoutMs} ms per upstream, at most {MaxInFlight} in flight)")]
        public static partial void Forwarding(ILogger logger, string upstreams, double timeoutMs, int maxInFlight);

        [LoggerMessage(1, LogLevel.Warning, "Upstream {Upstream} is not answering ({Reason}); skipped for {Seconds} s, then tried again")]
        public static partial void UpstreamDown(ILogger logger, IPEndPoint upstream, string reason, double seconds);
    }
}
