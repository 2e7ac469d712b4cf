using System.Buffers.Binary;

namespace KubeDns.Zone;

/// <summary>
/// One additional record of a set as the zone keeps it: the index of the answer (an SRV record) whose target
/// owns it, its TYPE (A or AAAA) and the address. The owner name and TTL are the SRV record's, so they are not
/// kept twice: a glue record with its owner written out was ~66 B where this is 10 (IPv4), and a headless
/// service's SRV sets held one per endpoint and SRV name (issue 14). The resolver owns each with a compression
/// pointer to that target in the answer it wrote (RFC 1035 §4.1.4), which also makes the response smaller.
/// </summary>
internal static class GlueItem
{
    /// <summary>Answer index (32 bits: a set may hold more than 65,535 records) and TYPE.</summary>
    private const int HeaderSize = 6;

    public static int Size(ReadOnlySpan<byte> address) => HeaderSize + address.Length;

    /// <summary>Writes the item at the start of <paramref name="target"/>; returns its size.</summary>
    public static int Write(Span<byte> target, int answerIndex, ushort type, ReadOnlySpan<byte> address)
    {
        BinaryPrimitives.WriteInt32LittleEndian(target, answerIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(target[4..], type);
        address.CopyTo(target[HeaderSize..]);
        return HeaderSize + address.Length;
    }

    public static int AnswerIndex(ReadOnlySpan<byte> item) => BinaryPrimitives.ReadInt32LittleEndian(item);

    public static ushort Type(ReadOnlySpan<byte> item) => BinaryPrimitives.ReadUInt16LittleEndian(item[4..]);

    public static ReadOnlySpan<byte> Address(ReadOnlySpan<byte> item) => item[HeaderSize..];
}
