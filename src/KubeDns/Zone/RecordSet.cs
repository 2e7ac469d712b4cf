using System.Buffers.Binary;
using System.Runtime.InteropServices;
using KubeDns.Protocol;

namespace KubeDns.Zone;

/// <summary>
/// The records of one TYPE at one name, pre-encoded when the snapshot is built so that answering is a copy.
/// Each answer record starts with a compression pointer to the question name (0xC00C): the owner is the
/// question itself, so the client's spelling is echoed for free. <see cref="AnswerEnds"/> marks record
/// boundaries so that a UDP answer can be cut between records when it does not fit. SRV records are not kept
/// here: the resolver writes them, and their glue, from the service node's ports (<see cref="ServicePorts"/>).
/// A view, not an object: every set of a name lives in one byte array (<see cref="RecordSets"/>), so a name
/// costs its node, its name and that one array instead of an object and four arrays per set (issue 14).
/// </summary>
internal readonly struct RecordSet
{
    /// <summary>TYPE, answer count, answer bytes: three 32-bit words before the set's data.</summary>
    internal const int HeaderSize = 12;

    private readonly byte[] _blob;
    private readonly int _offset;

    internal RecordSet(byte[] blob, int offset)
    {
        _blob = blob;
        _offset = offset;
    }

    public ushort Type => (ushort)Word(0);

    public ReadOnlySpan<byte> Answers => _blob.AsSpan(AnswersAt, Word(2));

    public ReadOnlySpan<int> AnswerEnds => MemoryMarshal.Cast<byte, int>(_blob.AsSpan(_offset + HeaderSize, Word(1) * sizeof(int)));

    /// <summary>Where the next set of the same array starts.</summary>
    internal int End => AnswersAt + Align(Word(2));

    private int AnswersAt => _offset + HeaderSize + (Word(1) * sizeof(int));

    /// <summary>One set in an array of its own (the SOA, whose serial moves with every change).</summary>
    public static RecordSet Encode(ushort type, IReadOnlyList<ZoneRecord> records) =>
        RecordSets.Encode([(type, records)]).First();

    /// <summary>Encodes one record with an explicit owner name (the SOA in the authority section).</summary>
    public static byte[] EncodeWithOwner(byte[] owner, ushort type, uint ttl, byte[] data)
    {
        var bytes = new byte[owner.Length + FixedSize + data.Length];
        owner.CopyTo(bytes, 0);
        WriteBody(bytes, owner.Length, type, ttl, data);
        return bytes;
    }

    /// <summary>The bytes the set takes in its array, header and padding included.</summary>
    internal static int Size(IReadOnlyList<ZoneRecord> records) =>
        HeaderSize + (records.Count * sizeof(int)) + Align(AnswerBytes(records));

    /// <summary>Writes the set at <paramref name="offset"/> (a multiple of 4, so that its ends are aligned words).</summary>
    internal static void Write(byte[] blob, int offset, ushort type, IReadOnlyList<ZoneRecord> records)
    {
        var answerBytes = AnswerBytes(records);
        var header = blob.AsSpan(offset, HeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(header, type);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], records.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], answerBytes);

        var ends = MemoryMarshal.Cast<byte, int>(blob.AsSpan(offset + HeaderSize, records.Count * sizeof(int)));
        var answersAt = offset + HeaderSize + (records.Count * sizeof(int));
        var position = 0;
        for (var i = 0; i < records.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(blob.AsSpan(answersAt + position), DnsHeader.PointerToQuestion);
            position = WriteBody(blob, answersAt + position + 2, records[i].Type, records[i].Ttl, records[i].Data) - answersAt;
            ends[i] = position;
        }
    }

    internal static int Align(int size) => (size + 3) & ~3;

    private int Word(int index) => BinaryPrimitives.ReadInt32LittleEndian(_blob.AsSpan(_offset + (index * sizeof(int))));

    private static int AnswerBytes(IReadOnlyList<ZoneRecord> records)
    {
        var size = 0;
        foreach (var record in records)
        {
            size += 2 + FixedSize + record.Data.Length;
        }

        return size;
    }

    /// <summary>TYPE, CLASS, TTL and RDLENGTH (RFC 1035 §4.1.3).</summary>
    internal const int FixedSize = 10;

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
