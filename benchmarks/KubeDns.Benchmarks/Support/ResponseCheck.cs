using System.Buffers.Binary;

namespace KubeDns.Benchmarks.Support;

/// <summary>
/// Checks a response's header at setup time, so that a benchmark fails loudly instead of timing the wrong
/// path (an NXDOMAIN where a hit was meant measures a different thing, and looks faster).
/// </summary>
internal static class ResponseCheck
{
    public static void Expect(string benchmark, ReadOnlySpan<byte> response, int rcode, int minAnswers, bool truncated = false)
    {
        if (response.Length < 12)
        {
            throw new InvalidOperationException($"{benchmark}: no response");
        }

        var flags = BinaryPrimitives.ReadUInt16BigEndian(response[2..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(response[6..]);
        var actualTruncated = (flags & 0x0200) != 0;
        if ((flags & 0xF) != rcode || answers < minAnswers || actualTruncated != truncated)
        {
            throw new InvalidOperationException(
                $"{benchmark}: expected rcode {rcode}, >= {minAnswers} answers, TC={truncated}; got rcode {flags & 0xF}, {answers} answers, TC={actualTruncated}");
        }
    }
}
