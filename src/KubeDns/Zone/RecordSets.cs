using System.Buffers.Binary;

namespace KubeDns.Zone;

/// <summary>
/// Every record set of one name, back to back in one byte array from <c>start</c>: a count, then each set
/// (<see cref="RecordSet"/>: header, answer ends, answers padded to a 32-bit word).
/// The zone keeps them at the end of a node's data (<see cref="ZoneNode"/>). Enumerated without allocating.
/// </summary>
internal readonly struct RecordSets
{
    private readonly byte[] _blob;
    private readonly int _start;

    public RecordSets(byte[] blob, int start)
    {
        _blob = blob;
        _start = start;
    }

    public int Count => BinaryPrimitives.ReadInt32LittleEndian(_blob.AsSpan(_start));

    /// <summary>The bytes <paramref name="sets"/> take, count included.</summary>
    public static int Size(IReadOnlyList<(ushort Type, IReadOnlyList<ZoneRecord> Records)> sets)
    {
        var size = sizeof(int);
        foreach (var (_, records) in sets)
        {
            size += RecordSet.Size(records);
        }

        return size;
    }

    /// <summary>Writes <paramref name="sets"/> at <paramref name="start"/> (a multiple of 4) of an array sized for them.</summary>
    public static RecordSets Write(byte[] blob, int start, IReadOnlyList<(ushort Type, IReadOnlyList<ZoneRecord> Records)> sets)
    {
        BinaryPrimitives.WriteInt32LittleEndian(blob.AsSpan(start), sets.Count);
        var offset = start + sizeof(int);
        foreach (var (type, records) in sets)
        {
            RecordSet.Write(blob, offset, type, records);
            offset += RecordSet.Size(records);
        }

        return new RecordSets(blob, start);
    }

    /// <summary>The sets in an array of their own.</summary>
    public static RecordSets Encode(IReadOnlyList<(ushort Type, IReadOnlyList<ZoneRecord> Records)> sets) =>
        Write(new byte[Size(sets)], 0, sets);

    public RecordSet First() => new(_blob, _start + sizeof(int));

    public Enumerator GetEnumerator() => new(_blob, _start);

    public struct Enumerator
    {
        private readonly byte[] _blob;
        private int _remaining;
        private int _next;

        internal Enumerator(byte[] blob, int start)
        {
            _blob = blob;
            _remaining = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(start));
            _next = start + sizeof(int);
        }

        public RecordSet Current { get; private set; }

        public bool MoveNext()
        {
            if (_remaining == 0)
            {
                return false;
            }

            _remaining--;
            Current = new RecordSet(_blob, _next);
            _next = Current.End;
            return true;
        }
    }
}
