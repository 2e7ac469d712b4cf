using System.Buffers.Binary;
using System.Text;

namespace KubeDns.Tests.Support;

/// <summary>
/// Builds DNS query messages for tests. ARSoft.Tools.Net keeps its encoder internal, so queries are written
/// here by hand (RFC 1035 §4.1) while answers are parsed by ARSoft as the independent oracle.
/// </summary>
internal static class QueryBytes
{
    public static byte[] Build(
        string name,
        ushort type,
        ushort id = 0x1234,
        bool recursionDesired = true,
        ushort? ednsSize = null,
        byte ednsVersion = 0,
        bool dnssecOk = false,
        int opcode = 0,
        ushort qclass = 1,
        int ednsPadding = 0)
    {
        var bytes = new List<byte>();
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)((opcode << 11) | (recursionDesired ? 0x0100 : 0)));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), (ushort)(ednsSize is null ? 0 : 1));
        bytes.AddRange(header);
        bytes.AddRange(EncodeName(name));
        AddUInt16(bytes, type);
        AddUInt16(bytes, qclass);
        if (ednsSize is { } size)
        {
            bytes.Add(0);
            AddUInt16(bytes, 41);
            AddUInt16(bytes, size);
            bytes.Add(0);
            bytes.Add(ednsVersion);
            bytes.Add(dnssecOk ? (byte)0x80 : (byte)0);
            bytes.Add(0);
            if (ednsPadding > 0)
            {
                // EDNS Padding option (RFC 7830), to make a query larger than 512 bytes.
                AddUInt16(bytes, (ushort)(4 + ednsPadding));
                AddUInt16(bytes, 12);
                AddUInt16(bytes, (ushort)ednsPadding);
                bytes.AddRange(new byte[ednsPadding]);
            }
            else
            {
                AddUInt16(bytes, 0);
            }
        }

        return [.. bytes];
    }

    public static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    private static void AddUInt16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }
}
