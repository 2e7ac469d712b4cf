using System.Buffers.Binary;

namespace KubeDns.Protocol;

/// <summary>
/// Appends records after the echoed question and writes the header last, with the section counts.
/// Answer records that do not fit the size limit set TC (RFC 1035 §4.2.1, RFC 2181 §9); additional records
/// that do not fit are left out without TC, since a client can do without them.
/// </summary>
internal ref struct ResponseWriter
{
    /// <summary>Size of an OPT record with no options (RFC 6891 §6.1.2).</summary>
    public const int OptSize = 11;

    private readonly Span<byte> _buffer;
    private readonly int _limit;
    private readonly int _questionEnd;
    private int _position;
    private ushort _answers;
    private ushort _authority;
    private ushort _additional;

    /// <param name="buffer">The response, with the header and question already copied in.</param>
    /// <param name="limit">Largest message to produce, room for the OPT record already taken off.</param>
    /// <param name="questionEnd">Where the question ends and records start.</param>
    public ResponseWriter(Span<byte> buffer, int limit, int questionEnd)
    {
        _buffer = buffer;
        _limit = Math.Min(limit, buffer.Length);
        _questionEnd = questionEnd;
        _position = questionEnd;
    }

    public bool Truncated { get; private set; }

    /// <summary>Where the next record goes: an offset from the message's start, as compression pointers count.</summary>
    public readonly int Position => _position;

    /// <summary>Appends answer records (each starts with its owner) cut at record boundaries; false once truncated.</summary>
    public bool AppendAnswers(scoped ReadOnlySpan<byte> records, scoped ReadOnlySpan<int> ends)
    {
        var start = 0;
        foreach (var end in ends)
        {
            if (Truncated || _position + (end - start) > _limit)
            {
                Truncated = true;
                return false;
            }

            records[start..end].CopyTo(_buffer[_position..]);
            _position += end - start;
            _answers++;
            start = end;
        }

        return true;
    }

    /// <summary>Appends answer records whose owner pointer (two bytes) is replaced by <paramref name="owner"/>.</summary>
    public bool AppendAnswersWithOwner(scoped ReadOnlySpan<byte> owner, scoped ReadOnlySpan<byte> records, scoped ReadOnlySpan<int> ends)
    {
        var start = 0;
        foreach (var end in ends)
        {
            var body = records[(start + 2)..end];
            if (Truncated || _position + owner.Length + body.Length > _limit)
            {
                Truncated = true;
                return false;
            }

            owner.CopyTo(_buffer[_position..]);
            body.CopyTo(_buffer[(_position + owner.Length)..]);
            _position += owner.Length + body.Length;
            _answers++;
            start = end;
        }

        return true;
    }

    /// <summary>
    /// Appends one answer record built in place, owned by <paramref name="owner"/> or, when that is empty,
    /// by the question name (a compression pointer).
    /// </summary>
    public bool AppendAnswer(ushort type, uint ttl, scoped ReadOnlySpan<byte> data, scoped ReadOnlySpan<byte> owner = default)
    {
        var ownerLength = owner.IsEmpty ? 2 : owner.Length;
        var size = ownerLength + 10 + data.Length;
        if (Truncated || _position + size > _limit)
        {
            Truncated = true;
            return false;
        }

        if (owner.IsEmpty)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], DnsHeader.PointerToQuestion);
        }
        else
        {
            owner.CopyTo(_buffer[_position..]);
        }

        WriteBody(ownerLength, type, ttl, data);
        _answers++;
        return true;
    }

    /// <summary>Drops every record written so far (an answer that turned out to be an error).</summary>
    public void DiscardRecords()
    {
        _position = _questionEnd;
        _answers = 0;
        _authority = 0;
        _additional = 0;
        Truncated = false;
    }

    /// <summary>The SOA of a negative answer (RFC 2308 §3); a missing SOA only weakens caching, so no TC.</summary>
    public void AppendAuthority(scoped ReadOnlySpan<byte> record)
    {
        if (!Truncated && _position + record.Length <= _limit)
        {
            record.CopyTo(_buffer[_position..]);
            _position += record.Length;
            _authority++;
        }
    }

    /// <summary>
    /// Appends one additional record owned by <paramref name="owner"/> (a name, or a compression pointer to one
    /// already in the message); false, without TC, when it does not fit or the answer was truncated.
    /// </summary>
    public bool AppendAdditional(scoped ReadOnlySpan<byte> owner, ushort type, uint ttl, scoped ReadOnlySpan<byte> data)
    {
        var size = owner.Length + 10 + data.Length;
        if (Truncated || _position + size > _limit)
        {
            return false;
        }

        owner.CopyTo(_buffer[_position..]);
        WriteBody(owner.Length, type, ttl, data);
        _additional++;
        return true;
    }

    /// <summary>
    /// The OPT record of the response (RFC 6891 §6.1.2): our payload size, the upper bits of an extended
    /// RCODE, version 0, and the DO bit copied from the query (RFC 3225 §3). Room for it was reserved.
    /// </summary>
    public void AppendOpt(ushort payloadSize, int rcode, bool dnssecOk)
    {
        var target = _buffer[_position..];
        target[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(target[1..], RecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(target[3..], payloadSize);
        target[5] = (byte)(rcode >> 4);
        target[6] = 0;
        target[7] = dnssecOk ? (byte)0x80 : (byte)0;
        target[8] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(target[9..], 0);
        _position += OptSize;
        _additional++;
    }

    /// <summary>Writes the header and returns the message length.</summary>
    public readonly int Finish(ushort id, ushort flags, ushort questions)
    {
        DnsHeader.WriteUInt16(_buffer, DnsHeader.IdOffset, id);
        DnsHeader.WriteUInt16(_buffer, DnsHeader.FlagsOffset, flags);
        DnsHeader.WriteUInt16(_buffer, DnsHeader.QuestionCountOffset, questions);
        DnsHeader.WriteUInt16(_buffer, DnsHeader.AnswerCountOffset, _answers);
        DnsHeader.WriteUInt16(_buffer, DnsHeader.AuthorityCountOffset, _authority);
        DnsHeader.WriteUInt16(_buffer, DnsHeader.AdditionalCountOffset, _additional);
        return _position;
    }

    /// <summary>
    /// Writes TYPE, CLASS, TTL, RDLENGTH and RDATA (RFC 1035 §4.1.3) after the <paramref name="ownerLength"/>
    /// bytes of owner already at the position, and moves past the record.
    /// </summary>
    private void WriteBody(int ownerLength, ushort type, uint ttl, scoped ReadOnlySpan<byte> data)
    {
        var target = _buffer[(_position + ownerLength)..];
        BinaryPrimitives.WriteUInt16BigEndian(target, type);
        BinaryPrimitives.WriteUInt16BigEndian(target[2..], RecordClass.IN);
        BinaryPrimitives.WriteUInt32BigEndian(target[4..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(target[8..], (ushort)data.Length);
        data.CopyTo(target[10..]);
        _position += ownerLength + 10 + data.Length;
    }
}
