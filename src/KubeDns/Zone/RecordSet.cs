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
        var answers = new List<byte>();
        var answerEnds = new int[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            AppendPointer(answers);
            AppendBody(answers, records[i].Type, records[i].Ttl, records[i].Data);
            answerEnds[i] = answers.Count;
        }

        var glueBytes = new List<byte>();
        var glueEnds = new int[glue.Count];
        for (var i = 0; i < glue.Count; i++)
        {
            glueBytes.AddRange(glue[i].Owner);
            AppendBody(glueBytes, glue[i].Type, glue[i].Ttl, glue[i].Data);
            glueEnds[i] = glueBytes.Count;
        }

        return new RecordSet(type, [.. answers], answerEnds, [.. glueBytes], glueEnds);
    }

    /// <summary>Encodes one record with an explicit owner name (the SOA in the authority section).</summary>
    public static byte[] EncodeWithOwner(byte[] owner, ushort type, uint ttl, byte[] data)
    {
        var bytes = new List<byte>(owner);
        AppendBody(bytes, type, ttl, data);
        return [.. bytes];
    }

    private static void AppendPointer(List<byte> target)
    {
        target.Add(DnsHeader.PointerToQuestion >> 8);
        target.Add(DnsHeader.PointerToQuestion & 0xFF);
    }

    private static void AppendBody(List<byte> target, ushort type, uint ttl, byte[] data)
    {
        Span<byte> fixedPart = stackalloc byte[10];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, type);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart[2..], RecordClass.IN);
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart[4..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart[8..], (ushort)data.Length);
        target.AddRange(fixedPart);
        target.AddRange(data);
    }
}
