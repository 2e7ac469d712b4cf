using System.Buffers.Binary;
using KubeDns.Protocol;

namespace KubeDns.Zone;

/// <summary>
/// The records of one TYPE at one name, pre-encoded when the snapshot is built so that answering is a copy.
/// Each answer record starts with a compression pointer to the question name (0xC00C): the owner is the
/// question itself, so the client's spelling is echoed for free. <see cref="AnswerEnds"/> marks record
/// boundaries so that a UDP answer can be cut between records when it does not fit.
/// </summary>
internal sealed class RecordSet
{
    public RecordSet(ushort type, byte[] answers, int[] answerEnds, byte[] glue, int[] glueEnds)
    {
        Type = type;
        Answers = answers;
        AnswerEnds = answerEnds;
        Glue = glue;
        GlueEnds = glueEnds;
    }

    public ushort Type { get; }

    public byte[] Answers { get; }

    public int[] AnswerEnds { get; }

    /// <summary>Additional-section records, with their owner names written out.</summary>
    public byte[] Glue { get; }

    public int[] GlueEnds { get; }

    public static RecordSet Encode(ushort type, IReadOnlyList<ZoneRecord> records, IReadOnlyList<GlueRecord> glue)
    {
        var answerSize = 0;
        foreach (var record in records)
        {
            answerSize += 2 + FixedSize + record.Data.Length;
        }

        var answers = new byte[answerSize];
        var answerEnds = new int[records.Count];
        var position = 0;
        for (var i = 0; i < records.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(answers.AsSpan(position), DnsHeader.PointerToQuestion);
            position = WriteBody(answers, position + 2, records[i].Type, records[i].Ttl, records[i].Data);
            answerEnds[i] = position;
        }

        var glueSize = 0;
        foreach (var item in glue)
        {
            glueSize += item.Owner.Length + FixedSize + item.Data.Length;
        }

        var glueBytes = glueSize == 0 ? [] : new byte[glueSize];
        int[] glueEnds = glue.Count == 0 ? [] : new int[glue.Count];
        position = 0;
        for (var i = 0; i < glue.Count; i++)
        {
            glue[i].Owner.CopyTo(glueBytes, position);
            position = WriteBody(glueBytes, position + glue[i].Owner.Length, glue[i].Type, glue[i].Ttl, glue[i].Data);
            glueEnds[i] = position;
        }

        return new RecordSet(type, answers, answerEnds, glueBytes, glueEnds);
    }

    /// <summary>Encodes one record with an explicit owner name (the SOA in the authority section).</summary>
    public static byte[] EncodeWithOwner(byte[] owner, ushort type, uint ttl, byte[] data)
    {
        var bytes = new byte[owner.Length + FixedSize + data.Length];
        owner.CopyTo(bytes, 0);
        WriteBody(bytes, owner.Length, type, ttl, data);
        return bytes;
    }

    /// <summary>TYPE, CLASS, TTL and RDLENGTH (RFC 1035 §4.1.3).</summary>
    private const int FixedSize = 10;

    /// <summary>Writes TYPE, CLASS, TTL, RDLENGTH and RDATA at <paramref name="position"/>; returns the end.</summary>
    private static int WriteBody(byte[] target, int position, ushort type, uint ttl, byte[] data)
    {
        var span = target.AsSpan(position);
        BinaryPrimitives.WriteUInt16BigEndian(span, type);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], RecordClass.IN);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)data.Length);
        data.CopyTo(span[FixedSize..]);
        return position + FixedSize + data.Length;
    }
}
