using System.Buffers.Binary;

namespace KubeDns.Protocol;

/// <summary>Offsets and flag bits of the 12-byte message header (RFC 1035 §4.1.1).</summary>
internal static class DnsHeader
{
    public const int Size = 12;

    public const int IdOffset = 0;
    public const int FlagsOffset = 2;
    public const int QuestionCountOffset = 4;
    public const int AnswerCountOffset = 6;
    public const int AuthorityCountOffset = 8;
    public const int AdditionalCountOffset = 10;

    public const ushort QR = 0x8000;
    public const ushort AA = 0x0400;
    public const ushort TC = 0x0200;
    public const ushort RD = 0x0100;
    public const ushort RA = 0x0080;
    public const ushort OpcodeMask = 0x7800;

    /// <summary>Compression pointer to the question name, which always starts right after the header.</summary>
    public const ushort PointerToQuestion = 0xC000 | Size;

    public static ushort ReadUInt16(ReadOnlySpan<byte> message, int offset) =>
        BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);

    public static void WriteUInt16(Span<byte> message, int offset, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(message[offset..], value);
}
