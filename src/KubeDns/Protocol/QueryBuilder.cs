namespace KubeDns.Protocol;

/// <summary>
/// Queries of the server's own (a prefetch, an ExternalName target, the loop probe): RD set, one question,
/// and an OPT record when a UDP payload size is offered (RFC 6891 §6.1.2). The forwarder puts its own ID in.
/// </summary>
internal static class QueryBuilder
{
    public static byte[] Build(ReadOnlySpan<byte> name, ushort type, ushort qclass, ushort? ednsPayload, bool dnssecOk = false)
    {
        var questionEnd = QuestionEnd(name);
        var query = new byte[questionEnd + (ednsPayload is null ? 0 : ResponseWriter.OptSize)];
        DnsHeader.WriteUInt16(query, DnsHeader.FlagsOffset, DnsHeader.RD);
        DnsHeader.WriteUInt16(query, DnsHeader.QuestionCountOffset, 1);
        name.CopyTo(query.AsSpan(DnsHeader.Size));
        DnsHeader.WriteUInt16(query, questionEnd - 4, type);
        DnsHeader.WriteUInt16(query, questionEnd - 2, qclass);
        if (ednsPayload is { } payload)
        {
            // OPT: root owner (already 0), TYPE, CLASS = payload size, TTL = extended rcode, version, flags (DO).
            DnsHeader.WriteUInt16(query, DnsHeader.AdditionalCountOffset, 1);
            DnsHeader.WriteUInt16(query, questionEnd + 1, RecordType.OPT);
            DnsHeader.WriteUInt16(query, questionEnd + 3, payload);
            query[questionEnd + 7] = dnssecOk ? (byte)0x80 : (byte)0;
        }

        return query;
    }

    /// <summary>Where the question of a built query ends: header, name, TYPE and CLASS.</summary>
    public static int QuestionEnd(ReadOnlySpan<byte> name) => DnsHeader.Size + name.Length + 4;
}
