namespace KubeDns.Protocol;

/// <summary>Outcome of reading a query message.</summary>
internal enum ParseStatus
{
    /// <summary>A well-formed query with one question.</summary>
    Ok,

    /// <summary>Not worth an answer: shorter than a header, or a response (QR set) that could start a loop.</summary>
    Drop,

    /// <summary>Header readable, opcode not QUERY: answer NOTIMP.</summary>
    NotImplemented,

    /// <summary>Header readable, the rest malformed: answer FORMERR (RFC 1035 §4.1.1).</summary>
    FormatError,
}

/// <summary>Reads a query message: header, the one question, and the OPT record among the additional records.</summary>
internal static class QueryParser
{
    /// <param name="message">The query.</param>
    /// <param name="nameBuffer">At least 255 bytes; receives the lower-case question name.</param>
    /// <param name="query">The parsed fields; <see cref="ParsedQuery.Name"/> points into <paramref name="nameBuffer"/>.</param>
    public static ParseStatus Parse(ReadOnlySpan<byte> message, Span<byte> nameBuffer, out ParsedQuery query)
    {
        query = default;
        if (message.Length < DnsHeader.Size)
        {
            return ParseStatus.Drop;
        }

        query.Id = DnsHeader.ReadUInt16(message, DnsHeader.IdOffset);
        query.Flags = DnsHeader.ReadUInt16(message, DnsHeader.FlagsOffset);
        if ((query.Flags & DnsHeader.QR) != 0)
        {
            return ParseStatus.Drop;
        }

        if (query.Opcode != 0)
        {
            return ParseStatus.NotImplemented;
        }

        // RFC 1035 allows several questions in theory; no server answers them and clients never send them.
        if (DnsHeader.ReadUInt16(message, DnsHeader.QuestionCountOffset) != 1)
        {
            return ParseStatus.FormatError;
        }

        var nameLength = ReadQuestionName(message, nameBuffer);
        var position = DnsHeader.Size + nameLength;
        if (nameLength == 0 || position + 4 > message.Length)
        {
            return ParseStatus.FormatError;
        }

        query.Name = nameBuffer[..nameLength];
        query.Type = DnsHeader.ReadUInt16(message, position);
        query.Class = DnsHeader.ReadUInt16(message, position + 2);
        query.QuestionEnd = position + 4;
        if (query.Type == RecordType.OPT)
        {
            return ParseStatus.FormatError;
        }

        var records = DnsHeader.ReadUInt16(message, DnsHeader.AnswerCountOffset)
            + DnsHeader.ReadUInt16(message, DnsHeader.AuthorityCountOffset);
        var additional = DnsHeader.ReadUInt16(message, DnsHeader.AdditionalCountOffset);
        return ReadOpt(message, query.QuestionEnd, records, additional, ref query) ? ParseStatus.Ok : ParseStatus.FormatError;
    }

    /// <summary>
    /// Copies the question name, folded to lower case, and returns its wire length (0 when malformed).
    /// A question name never needs compression: a pointer there could only point into the header.
    /// </summary>
    private static int ReadQuestionName(ReadOnlySpan<byte> message, Span<byte> nameBuffer)
    {
        var position = DnsHeader.Size;
        var written = 0;
        while (position < message.Length)
        {
            int length = message[position];
            if (length == 0)
            {
                nameBuffer[written] = 0;
                return written + 1;
            }

            if (length > DnsLimits.MaxLabelLength
                || position + 1 + length > message.Length
                || written + 1 + length + 1 > DnsLimits.MaxNameLength)
            {
                return 0;
            }

            nameBuffer[written] = (byte)length;
            for (var i = 1; i <= length; i++)
            {
                var c = message[position + i];
                nameBuffer[written + i] = c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c | 0x20) : c;
            }

            written += length + 1;
            position += length + 1;
        }

        return 0;
    }

    /// <summary>Walks the remaining records to find the OPT pseudo-record (RFC 6891 §6.1.1: at most one).</summary>
    private static bool ReadOpt(ReadOnlySpan<byte> message, int position, int skipRecords, int additional, ref ParsedQuery query)
    {
        for (var index = 0; index < skipRecords + additional; index++)
        {
            var nameStart = position;
            if (!SkipName(message, ref position) || position + 10 > message.Length)
            {
                return false;
            }

            var type = DnsHeader.ReadUInt16(message, position);
            var dataLength = DnsHeader.ReadUInt16(message, position + 8);
            if (type == RecordType.OPT && index >= skipRecords)
            {
                if (query.HasOpt || message[nameStart] != 0)
                {
                    return false;
                }

                query.HasOpt = true;
                query.EdnsPayloadSize = DnsHeader.ReadUInt16(message, position + 2);
                query.EdnsVersion = message[position + 5];
                query.DnssecOk = (message[position + 6] & 0x80) != 0;
            }

            position += 10 + dataLength;
            if (position > message.Length)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SkipName(ReadOnlySpan<byte> message, ref int position)
    {
        while (position < message.Length)
        {
            int length = message[position];
            if (length == 0)
            {
                position++;
                return true;
            }

            if ((length & 0xC0) == 0xC0)
            {
                position += 2;
                return position <= message.Length;
            }

            if (length > DnsLimits.MaxLabelLength)
            {
                return false;
            }

            position += length + 1;
        }

        return false;
    }
}
