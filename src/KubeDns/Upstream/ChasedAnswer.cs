using System.Buffers.Binary;
using KubeDns.Protocol;

namespace KubeDns.Upstream;

/// <summary>
/// The answer records an upstream gave for the target of an ExternalName CNAME, rewritten without name
/// compression so they can follow our own CNAME in our message, and its rcode (the rcode of the last name
/// in a chain, RFC 6604 §2.1).
/// </summary>
internal sealed class ChasedAnswer(byte[] name, int rcode, byte[] records, int[] ends)
{
    /// <summary>The name that was looked up (lower-case wire form).</summary>
    public byte[] Name { get; } = name;

    /// <summary>RFC 1035 types whose RDATA may hold compressed names (RFC 3597 §4), plus SRV (some servers compress it).</summary>
    private static readonly Dictionary<ushort, (int Before, int Names, int After)> NameLayouts = new()
    {
        [RecordType.NS] = (0, 1, 0),
        [RecordType.CNAME] = (0, 1, 0),
        [RecordType.PTR] = (0, 1, 0),
        [RecordType.SOA] = (0, 2, 20),
        [15] = (2, 1, 0), // MX
        [RecordType.SRV] = (6, 1, 0),
    };

    public int Rcode { get; } = rcode;

    public byte[] Records { get; } = records;

    public int[] Ends { get; } = ends;

    /// <summary>Reads the answer section of an upstream message for <paramref name="name"/>; null when it is malformed.</summary>
    public static ChasedAnswer? From(byte[] name, ReadOnlySpan<byte> message)
    {
        if (message.Length < DnsHeader.Size || DnsHeader.ReadUInt16(message, DnsHeader.QuestionCountOffset) != 1)
        {
            return null;
        }

        var records = new List<byte>();
        var ends = new List<int>();
        var position = MessageNames.Skip(message, DnsHeader.Size) + 4;
        var count = DnsHeader.ReadUInt16(message, DnsHeader.AnswerCountOffset);
        for (var i = 0; i < count; i++)
        {
            if (position <= 0 || !TryExpandName(message, ref position, records) || position + 10 > message.Length)
            {
                return null;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
            var dataLength = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
            var dataStart = position + 10;
            if (dataStart + dataLength > message.Length)
            {
                return null;
            }

            records.AddRange(message.Slice(position, 8)); // TYPE, CLASS, TTL
            var lengthAt = records.Count;
            records.AddRange([0, 0]);
            if (NameLayouts.TryGetValue(type, out var layout))
            {
                var inner = dataStart;
                records.AddRange(message.Slice(inner, layout.Before));
                inner += layout.Before;
                for (var n = 0; n < layout.Names; n++)
                {
                    if (!TryExpandName(message, ref inner, records))
                    {
                        return null;
                    }
                }

                records.AddRange(message.Slice(inner, layout.After));
            }
            else
            {
                records.AddRange(message.Slice(dataStart, dataLength));
            }

            var written = records.Count - lengthAt - 2;
            records[lengthAt] = (byte)(written >> 8);
            records[lengthAt + 1] = (byte)written;
            ends.Add(records.Count);
            position = dataStart + dataLength;
        }

        return new ChasedAnswer(name, message[3] & 0x0F, [.. records], [.. ends]);
    }

    /// <summary>Appends the name at <paramref name="position"/> uncompressed and moves past it (pointers followed, at most 64).</summary>
    private static bool TryExpandName(ReadOnlySpan<byte> message, ref int position, List<byte> output)
    {
        var at = position;
        var jumps = 0;
        var written = 0;
        int? resume = null;
        while (at < message.Length)
        {
            var length = message[at];
            if ((length & 0xC0) == 0xC0)
            {
                if (at + 1 >= message.Length || ++jumps > 64)
                {
                    return false;
                }

                resume ??= at + 2;
                at = ((length & 0x3F) << 8) | message[at + 1];
                continue;
            }

            if (length == 0)
            {
                output.Add(0);
                position = resume ?? at + 1;
                return written + 1 <= DnsLimits.MaxNameLength;
            }

            if (at + 1 + length > message.Length)
            {
                return false;
            }

            output.AddRange(message.Slice(at, length + 1));
            written += length + 1;
            at += length + 1;
        }

        return false;
    }
}
