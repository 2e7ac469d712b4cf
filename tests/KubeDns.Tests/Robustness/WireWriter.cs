using System.Text;

namespace KubeDns.Tests.Robustness;

/// <summary>Writes arbitrary (including invalid) DNS wire bytes: the hostile generators need more freedom than <c>QueryBytes</c> gives.</summary>
internal sealed class WireWriter
{
    private readonly List<byte> _bytes = [];

    public int Position => _bytes.Count;

    public WireWriter U8(int value)
    {
        _bytes.Add((byte)value);
        return this;
    }

    public WireWriter U16(int value) => U8(value >> 8).U8(value);

    public WireWriter U32(uint value) => U16((int)(value >> 16)).U16((int)value);

    public WireWriter Bytes(ReadOnlySpan<byte> value)
    {
        _bytes.AddRange(value);
        return this;
    }

    /// <summary>A query header: QR clear, opcode QUERY, RD set.</summary>
    public WireWriter Header(int id, int questions, int answers, int authority, int additional) =>
        U16(id).U16(0x0100).U16(questions).U16(answers).U16(authority).U16(additional);

    /// <summary>A dotted name as plain labels and the root byte (no validation: labels may be any length up to 255).</summary>
    public WireWriter Name(string dotted)
    {
        foreach (var label in dotted.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            U8(label.Length).Bytes(Encoding.ASCII.GetBytes(label));
        }

        return U8(0);
    }

    /// <summary>A compression pointer (RFC 1035 §4.1.4) to <paramref name="offset"/>.</summary>
    public WireWriter Pointer(int offset) => U16(0xC000 | (offset & 0x3FFF));

    /// <summary>A record's fixed part and data; <paramref name="dataLength"/> may lie about <paramref name="data"/>.</summary>
    public WireWriter Record(int type, int @class, uint ttl, ReadOnlySpan<byte> data, int? dataLength = null) =>
        U16(type).U16(@class).U32(ttl).U16(dataLength ?? data.Length).Bytes(data);

    public byte[] ToArray() => [.. _bytes];
}
