using System.Reflection;
using ARSoft.Tools.Net.Dns;

namespace KubeDns.Benchmarks.Support;

/// <summary>
/// The reference for the query benchmarks: what a DNS server built on ARSoft.Tools.Net 3.6.1 does per UDP query,
/// on the same query bytes and with the same records as our answer. It parses the query
/// (<see cref="DnsMessage.Parse"/>), builds the response (<see cref="DnsMessage.CreateResponseInstance"/>,
/// AA, rcode, the records), encodes it, and, like ARSoft's own <c>DnsServer</c>, truncates a response that is
/// too long for the client (512 bytes, or the EDNS size) by dropping records and re-encoding with TC set.
/// The records are built once at set-up, as a zone would hold them; no name lookup is timed, so the reference
/// is, if anything, favoured.
/// </summary>
internal sealed class ArSoftResponder
{
    /// <summary>ARSoft's <c>DnsServer</c> uses this as the UDP limit without EDNS (RFC 1035).</summary>
    private const int ClassicUdpSize = 512;

    // ARSoft keeps its encoder internal: DnsMessageBase.Encode() returns an internal DnsRawPackage, whose
    // ToArraySegment(false) is the message. Both are bound to delegates once; no reflection per call.
    private readonly Func<DnsMessageBase, ArraySegment<byte>> _encode;

    // DnsRecordBase.MaximumLength, internal too: the server's truncation loop uses it to pick what to drop.
    private readonly Func<DnsRecordBase, int> _maximumLength;

    private ArSoftResponder(Func<DnsMessageBase, ArraySegment<byte>> encode, Func<DnsRecordBase, int> maximumLength)
    {
        _encode = encode;
        _maximumLength = maximumLength;
    }

    public static ArSoftResponder Create()
    {
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var encode = typeof(DnsMessageBase).GetMethod("Encode", Instance, Type.EmptyTypes)
            ?? throw new MissingMethodException(nameof(DnsMessageBase), "Encode()");
        var toArraySegment = encode.ReturnType.GetMethod("ToArraySegment", Instance, [typeof(bool)])
            ?? throw new MissingMethodException(encode.ReturnType.Name, "ToArraySegment(bool)");
        if (toArraySegment.ReturnType != typeof(ArraySegment<byte>))
        {
            throw new MissingMethodException(encode.ReturnType.Name, "ToArraySegment(bool) returning ArraySegment<byte>");
        }

        var maximumLength = typeof(DnsRecordBase).GetProperty("MaximumLength", Instance)?.GetMethod
            ?? throw new MissingMemberException(nameof(DnsRecordBase), "MaximumLength");

        // The package type is internal, so the two calls are joined in a generic method closed over it.
        var bind = typeof(ArSoftResponder).GetMethod(nameof(BindEncoder), BindingFlags.Static | BindingFlags.NonPublic)!
            .MakeGenericMethod(encode.ReturnType);
        var encoder = (Func<DnsMessageBase, ArraySegment<byte>>)bind.Invoke(null, [encode, toArraySegment])!;
        return new ArSoftResponder(encoder, maximumLength.CreateDelegate<Func<DnsRecordBase, int>>());
    }

    /// <summary>The records of <paramref name="response"/> (one of ours, as ARSoft parses it), to answer with.</summary>
    public static ArSoftAnswer AnswerLike(ReadOnlySpan<byte> response)
    {
        var message = DnsMessage.Parse(response.ToArray());
        return new ArSoftAnswer(
            message.ReturnCode,
            [.. message.AnswerRecords],
            [.. message.AuthorityRecords],
            [.. message.AdditionalRecords.Where(record => record is not OptRecord)]);
    }

    /// <summary>One query, start to end: the encoded response.</summary>
    public ArraySegment<byte> Respond(byte[] query, ArSoftAnswer answer)
    {
        var request = DnsMessage.Parse(query);
        var response = request.CreateResponseInstance();
        response.IsAuthoritiveAnswer = true;
        response.ReturnCode = answer.ReturnCode;
        response.AnswerRecords.AddRange(answer.Answers);
        response.AuthorityRecords.AddRange(answer.Authority);
        response.AdditionalRecords.AddRange(answer.Additional);
        return Encode(request, response);
    }

    /// <summary>
    /// Encodes, then truncates as ARSoft.Tools.Net's <c>DnsServer</c> does over UDP: first drop the additional
    /// records (OPT aside), then authority, answer and question records from the end, setting TC, re-encoding
    /// each round until the message fits.
    /// </summary>
    private ArraySegment<byte> Encode(DnsMessage request, DnsMessage response)
    {
        var package = _encode(response);
        var maxLength = request.IsEDnsEnabled && response.IsEDnsEnabled
            ? Math.Max(ClassicUdpSize, (int)response.EDnsOptions!.UdpPayloadSize)
            : ClassicUdpSize;
        while (package.Count > maxLength)
        {
            var additional = response.AdditionalRecords;
            if (additional.Count > (response.IsEDnsEnabled ? 1 : 0))
            {
                additional.RemoveAll(record => record.RecordType != RecordType.Opt);
                package = _encode(response);
                continue;
            }

            var saved = 0;
            if (!DropFromEnd(response.AuthorityRecords, package.Count, maxLength, ref saved)
                && !DropFromEnd(response.AnswerRecords, package.Count, maxLength, ref saved))
            {
                // Questions only: ARSoft would drop those too; none of the benchmarked answers gets here.
                throw new InvalidOperationException("ARSoft reference: a question alone exceeds the UDP size");
            }

            response.IsTruncated = true;
            package = _encode(response);
        }

        return package;
    }

    private bool DropFromEnd(List<DnsRecordBase> records, int length, int maxLength, ref int saved)
    {
        if (records.Count == 0)
        {
            return false;
        }

        for (var i = records.Count - 1; i >= 0; i--)
        {
            saved += _maximumLength(records[i]);
            records.RemoveAt(i);
            if (length - saved < maxLength)
            {
                break;
            }
        }

        return true;
    }

    private static Func<DnsMessageBase, ArraySegment<byte>> BindEncoder<TPackage>(MethodInfo encode, MethodInfo toArraySegment)
        where TPackage : class
    {
        var encodeMessage = encode.CreateDelegate<Func<DnsMessageBase, TPackage>>();
        var segment = toArraySegment.CreateDelegate<Func<TPackage, bool, ArraySegment<byte>>>();
        return message => segment(encodeMessage(message), false);
    }
}

/// <summary>The rcode and records the ARSoft reference answers one benchmark's query with.</summary>
internal sealed record ArSoftAnswer(
    ReturnCode ReturnCode,
    DnsRecordBase[] Answers,
    DnsRecordBase[] Authority,
    DnsRecordBase[] Additional);
