using System.Buffers.Binary;
using System.Text;

namespace KubeDns.Benchmarks.Support;

/// <summary>
/// Encodes one DNS query (RFC 1035 §4.1), optionally with an EDNS OPT record (RFC 6891). Setup-time only:
/// the benchmarks measure the resolver on the resulting bytes, never this encoder.
/// </summary>
internal static class QueryMessage
{
    public const ushort A = 1;
    public const ushort Ptr = 12;
    public const ushort Aaaa = 28;
    public const ushort Srv = 33;

    public static byte[] Build(string name, ushort type, ushort? ednsSize = null)
    {
        var bytes = new List<byte>();
        Span<byte> header = stackalloc byte[12];
        header.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(header, 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0x0100); // RD, as stub resolvers send it.
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], (ushort)(ednsSize is null ? 0 : 1));
        bytes.AddRange(header);
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        AddUInt16(bytes, type);
        AddUInt16(bytes, 1);
        if (ednsSize is { } size)
        {
            bytes.Add(0); // Root owner.
            AddUInt16(bytes, 41);
            AddUInt16(bytes, size);
            bytes.AddRange([0, 0, 0, 0]); // Extended RCODE, version 0, no DO bit.
            AddUInt16(bytes, 0);
        }

        return [.. bytes];
    }

    private static void AddUInt16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }
}
