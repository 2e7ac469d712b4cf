using System.Buffers.Binary;

namespace KubeDns.Tests.Robustness;

/// <summary>
/// A second, stricter reading of a response than the oracle's: ARSoft.Tools.Net ignores bytes after the
/// last record it was told about, so a wrong section count that leaves trailing bytes would slip past it.
/// This walk requires the counted records to end exactly at the message end, every name to be well
/// formed, and every compression pointer to point backwards (RFC 1035 §4.1.4: to a prior occurrence).
/// </summary>
internal static class MessageLayout
{
    /// <returns>null when the layout is sound, else what is wrong.</returns>
    public static string? Check(ReadOnlySpan<byte> message)
    {
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var records = BinaryPrimitives.ReadUInt16BigEndian(message[6..]) + BinaryPrimitives.ReadUInt16BigEndian(message[8..])
            + BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        var position = 12;
        for (var i = 0; i < questions + records; i++)
        {
            var start = position;
            if (!SkipName(message, ref position))
            {
                return $"malformed name at offset {start}";
            }

            var fixedSize = i < questions ? 4 : 10;
            if (position + fixedSize > message.Length)
            {
                return $"record {i} cut short at offset {position}";
            }

            position += i < questions ? 4 : 10 + BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
            if (position > message.Length)
            {
                return $"record {i}'s data runs past the end";
            }
        }

        return position == message.Length ? null : $"{message.Length - position} bytes after the last counted record";
    }

    private static bool SkipName(ReadOnlySpan<byte> message, ref int position)
    {
        var start = position;
        while (position < message.Length)
        {
            int length = message[position];
            if (length == 0)
            {
                position++;
                return true;
            }

            if ((length & 0xC0) == 0xC0)
            {
                var target = position + 1 < message.Length ? BinaryPrimitives.ReadUInt16BigEndian(message[position..]) & 0x3FFF : int.MaxValue;
                position += 2;
                return target < start;
            }

            if (length > 63)
            {
                return false;
            }

            position += length + 1;
        }

        return false;
    }
}
