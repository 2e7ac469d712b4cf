using System.Buffers.Binary;
using KubeDns.Protocol;

namespace KubeDns.Monitoring;

/// <summary>
/// The label values CoreDNS's metrics use for query types and response codes, and reading them from the
/// message bytes without parsing twice or allocating. Types outside the list count as <c>other</c>, as in
/// CoreDNS, so a client cannot create series at will.
/// </summary>
internal static class DnsLabels
{
    public static readonly string[] Types =
        ["A", "AAAA", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "SRV", "NAPTR", "DS", "DNSKEY", "SVCB", "HTTPS", "ANY", "AXFR", "IXFR", "other"];

    /// <summary>RFC 1035 §4.1.1 codes 0-5, RFC 2136 6-10, BADVERS (16, RFC 6891 §9); anything else is <c>other</c>.</summary>
    public static readonly string[] Rcodes =
        ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "BADVERS", "other"];

    private const int OtherType = 17;
    private const int OtherRcode = 12;
    private const int BadVersIndex = 11;

    /// <summary>The index in <see cref="Types"/> of the first question's QTYPE; <c>other</c> when unreadable.</summary>
    public static int TypeIndex(ReadOnlySpan<byte> query)
    {
        var position = DnsHeader.Size;
        if (query.Length <= position || DnsHeader.ReadUInt16(query, DnsHeader.QuestionCountOffset) == 0)
        {
            return OtherType;
        }

        // Skip the QNAME's labels (a question name carries no compression pointer, RFC 1035 §4.1.2).
        while (position < query.Length && query[position] is var length and > 0 and < 64)
        {
            position += length + 1;
        }

        if (position + 3 > query.Length || query[position] != 0)
        {
            return OtherType;
        }

        return BinaryPrimitives.ReadUInt16BigEndian(query[(position + 1)..]) switch
        {
            RecordType.A => 0,
            RecordType.AAAA => 1,
            RecordType.NS => 2,
            RecordType.CNAME => 3,
            RecordType.SOA => 4,
            RecordType.PTR => 5,
            15 => 6, // MX
            RecordType.TXT => 7,
            RecordType.SRV => 8,
            35 => 9, // NAPTR
            43 => 10, // DS
            48 => 11, // DNSKEY
            64 => 12, // SVCB
            65 => 13, // HTTPS
            RecordType.ANY => 14,
            RecordType.AXFR => 15,
            RecordType.IXFR => 16,
            _ => OtherType,
        };
    }

    /// <summary>
    /// The index in <see cref="Rcodes"/> of a response's code: the header's four bits, extended by the OPT
    /// record's upper eight bits (RFC 6891 §6.1.3) when the last record is our OPT (the writer puts it last).
    /// </summary>
    public static int RcodeIndex(ReadOnlySpan<byte> response)
    {
        if (response.Length < DnsHeader.Size)
        {
            return OtherRcode;
        }

        var rcode = response[3] & 0x0F;
        const int optSize = 11;
        if (response.Length >= DnsHeader.Size + optSize
            && DnsHeader.ReadUInt16(response, DnsHeader.AdditionalCountOffset) > 0
            && response[^optSize] == 0
            && BinaryPrimitives.ReadUInt16BigEndian(response[^(optSize - 1)..]) == RecordType.OPT
            && BinaryPrimitives.ReadUInt16BigEndian(response[^2..]) == 0)
        {
            rcode |= response[^(optSize - 5)] << 4;
        }

        return rcode switch
        {
            <= 10 => rcode,
            ResponseCode.BadVers => BadVersIndex,
            _ => OtherRcode,
        };
    }
}
