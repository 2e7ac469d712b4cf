using System.Buffers.Binary;

namespace KubeDns.Zone;

/// <summary>
/// Every record set of one name in one byte array: a count, then each set (<see cref="RecordSet"/>: header,
/// answer ends, answers, glue ends, glue, each part padded to a 32-bit word). Enumerated without allocating.
/// </summary>
internal readonly struct RecordSets
{
    private readonly byte[] _blob;

    public RecordSets(byte[] blob) => _blob = blob;

    /// <summary>No sets: an empty non-terminal.</summary>
    public static byte[] None { get; } = Encode([])._blob;

    public int Count => BinaryPrimitives.ReadInt32LittleEndian(_blob);

    /// <summary>The bytes these sets take (what a name costs beyond its node and its name).</summary>
    public int Size => _blob.Length;

    public static RecordSets Encode(IReadOnlyList<(ushort Type, IReadOnlyList<ZoneRecord> Records, IReadOnlyList<GlueRecord> Glue)> sets)
    {
        var size = sizeof(int);
        foreach (var (_, records, glue) in sets)
        {
            size += RecordSet.Size(records, glue);
        }

        var blob = new byte[size];
        BinaryPrimitives.WriteInt32LittleEndian(blob, sets.Count);
        var offset = sizeof(int);
        foreach (var (type, records, glue) in sets)
        {
            RecordSet.Write(blob, offset, type, records, glue);
            offset += RecordSet.Size(records, glue);
        }

        return new RecordSets(blob);
    }

    public RecordSet First() => new(_blob, sizeof(int));

    public Enumerator GetEnumerator() => new(_blob);

    internal byte[] Blob => _blob;

    public struct Enumerator
    {
        private readonly byte[] _blob;
        private int _remaining;
        private int _next;

        internal Enumerator(byte[] blob)
        {
            _blob = blob;
            _remaining = BinaryPrimitives.ReadInt32LittleEndian(blob);
            _next = sizeof(int);
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
