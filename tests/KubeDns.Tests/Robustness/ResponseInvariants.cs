using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using KubeDns.Resolution;
using Xunit.Sdk;
using DnsLimits = KubeDns.Protocol.DnsLimits;

namespace KubeDns.Tests.Robustness;

/// <summary>
/// What must hold for any input, however hostile: the handler does not throw; it answers nothing (0) or a
/// whole message (12 bytes up to the buffer); the answer echoes the query ID with QR set; a UDP answer fits
/// 512 bytes, or the EDNS cap (1232 by default) when the query carried EDNS; and the answer parses with
/// ARSoft.Tools.Net (the independent oracle), except a header-only FORMERR or NOTIMP. Beyond the oracle:
/// the question is echoed byte for byte, the section counts match the bytes (<see cref="MessageLayout"/>),
/// OPT is answered with OPT, and TCP answers are never truncated. A violation fails with the input in hex,
/// ready to paste into a regression test.
/// </summary>
internal sealed class ResponseInvariants
{
    private const int HeaderSize = 12;

    private readonly IQueryHandler _handler;
    private readonly int _ednsLimit;
    private readonly byte[] _response = new byte[DnsLimits.MaxMessageSize];
    private byte[]? _lastQuery;
    private bool? _lastQueryHadOpt;

    public ResponseInvariants(IQueryHandler handler, int maxUdpSize = DnsLimits.DefaultMaxUdpSize)
    {
        _handler = handler;
        _ednsLimit = maxUdpSize;
    }

    /// <summary>Responses produced so far (length above 0), so a test can show its inputs reached the resolver.</summary>
    public int Answered { get; private set; }

    /// <summary>Responses beyond a header-only FORMERR/NOTIMP: the inputs that got through the parser.</summary>
    public int Resolved { get; private set; }

    /// <summary>Checks both transports: UDP for the size limits, TCP for the unlimited path.</summary>
    public void Check(byte[] query)
    {
        Check(query, DnsTransport.Udp);
        Check(query, DnsTransport.Tcp);
    }

    public void Check(byte[] query, DnsTransport transport)
    {
        int length;
        try
        {
            length = _handler.Handle(query, _response, transport);
        }
        catch (Exception exception)
        {
            throw Violation($"Handle threw {exception.GetType().Name}: {exception.Message}", query, transport, exception);
        }

        if (length == 0)
        {
            return;
        }

        Answered++;
        if (length is < HeaderSize or > DnsLimits.MaxMessageSize)
        {
            throw Violation($"length {length} is neither 0 nor within 12..{DnsLimits.MaxMessageSize}", query, transport, null);
        }

        if (Find(query, _response.AsSpan(0, length), transport) is { } problem)
        {
            throw Violation(problem, query, transport, null);
        }
    }

    private string? Find(byte[] query, ReadOnlySpan<byte> response, DnsTransport transport)
    {
        if (query.Length < HeaderSize)
        {
            return $"a {query.Length}-byte query (shorter than a header) got a response";
        }

        if (response[0] != query[0] || response[1] != query[1])
        {
            return $"response ID {response[0]:X2}{response[1]:X2} differs from query ID {query[0]:X2}{query[1]:X2}";
        }

        if ((response[2] & 0x80) == 0)
        {
            return "QR is not set in the response";
        }

        if (response.Length == HeaderSize)
        {
            var rcode = response[3] & 0xF;
            var counts = BinaryPrimitives.ReadUInt64BigEndian(response[4..]);
            return rcode is 1 or 4 && counts == 0 ? null : $"header-only response with RCODE {rcode} and counts {counts:X16} (only FORMERR/NOTIMP may be header-only)";
        }

        Resolved++;
        DnsMessage parsed;
        try
        {
            parsed = DnsMessage.Parse(OracleView(response));
        }
        catch (Exception exception)
        {
            return $"ARSoft cannot parse the {response.Length}-byte response ({exception.GetType().Name}: {exception.Message}); response: {Convert.ToHexString(response)}";
        }

        return CheckSize(query, response, transport, parsed)
            ?? MessageLayout.Check(response)
            ?? CheckQuestionEcho(query, response)
            ?? (transport == DnsTransport.Tcp && parsed.IsTruncated ? "a TCP response has TC set" : null);
    }

    private string? CheckSize(byte[] query, ReadOnlySpan<byte> response, DnsTransport transport, DnsMessage parsed)
    {
        // Both transports check the same query: parse it with the oracle once.
        if (!ReferenceEquals(query, _lastQuery))
        {
            _lastQuery = query;
            _lastQueryHadOpt = QueryCarriesOpt(query);
        }

        var queryHadOpt = _lastQueryHadOpt;
        if (queryHadOpt == false && parsed.IsEDnsEnabled)
        {
            return "the response carries OPT although the query has none";
        }

        if (queryHadOpt == true && !parsed.IsEDnsEnabled)
        {
            return "the query carries OPT but the response does not (RFC 6891 §7)";
        }

        var limit = parsed.IsEDnsEnabled ? _ednsLimit : DnsLimits.ClassicUdpSize;
        return transport == DnsTransport.Udp && response.Length > limit ? $"UDP response of {response.Length} bytes exceeds {limit}" : null;
    }

    /// <summary>The question goes back as it came, client's case included (RFC 4343 §4.1).</summary>
    private static string? CheckQuestionEcho(byte[] query, ReadOnlySpan<byte> response)
    {
        var end = HeaderSize;
        while (end < response.Length && response[end] != 0)
        {
            end += response[end] + 1;
        }

        end += 5;
        return end <= query.Length && end <= response.Length && response[HeaderSize..end].SequenceEqual(query.AsSpan(HeaderSize, end - HeaderSize))
            ? null
            : "the response's question is not the query's";
    }

    /// <summary>
    /// The response as the oracle can read it. ARSoft.Tools.Net 3.6.1 rejects a name of 127 labels, although
    /// 127 one-letter labels make 255 octets, the legal maximum (RFC 1035 §2.3.4; it accepts 256 octets in
    /// fewer labels). Such a question name is swapped for the root name, which every answer record's pointer
    /// (0xC00C) then names, so the rest of the message is still checked.
    /// </summary>
    private static byte[] OracleView(ReadOnlySpan<byte> response)
    {
        var position = HeaderSize;
        var labels = 0;
        while (position < response.Length && response[position] is > 0 and <= 63)
        {
            position += response[position] + 1;
            labels++;
        }

        return labels < 127 || position >= response.Length ? response.ToArray() : [.. response[..HeaderSize], 0, .. response[(position + 1)..]];
    }

    /// <summary>The oracle's view of the query: true/false when ARSoft parses it, null when it cannot.</summary>
    private static bool? QueryCarriesOpt(byte[] query)
    {
        try
        {
            return DnsMessage.Parse(query).IsEDnsEnabled;
        }
#pragma warning disable CA1031 // Any exception means "the oracle cannot tell"; the caller then trusts the response.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static XunitException Violation(string problem, byte[] query, DnsTransport transport, Exception? inner) =>
        new($"{problem}{Environment.NewLine}transport: {transport}{Environment.NewLine}query ({query.Length} bytes): {Convert.ToHexString(query)}", inner);
}
