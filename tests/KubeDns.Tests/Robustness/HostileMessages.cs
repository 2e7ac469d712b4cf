using System.Buffers.Binary;

namespace KubeDns.Tests.Robustness;

/// <summary>Generators of hostile query bytes. Every one takes the caller's seeded <see cref="Random"/>, so runs are reproducible.</summary>
internal static class HostileMessages
{
    /// <summary>Counts that break naive parsers: none, a few, one past a byte, the sign bit, all ones.</summary>
    private static readonly ushort[] BogusCounts = [0, 1, 2, 3, 255, 256, 0x7FFF, 0x8000, 0xFFFF];

    public static byte[] RandomBytes(Random random, int maxLength)
    {
        var bytes = new byte[random.Next(maxLength + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A header that passes the first checks (QR clear, opcode QUERY, one question) followed by random bytes.</summary>
    public static byte[] RandomBodyAfterQueryHeader(Random random, int maxBodyLength)
    {
        var bytes = RandomBytes(random, maxBodyLength + 12);
        if (bytes.Length >= 12)
        {
            bytes[2] &= 0x07; // QR = 0, opcode = 0; AA/TC/RD random.
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), 1);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), (ushort)random.Next(3));
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(8), (ushort)random.Next(3));
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), (ushort)random.Next(3));
        }

        return bytes;
    }

    /// <summary>
    /// A well-formed query whose name is random labels (any byte values, dots and zeros included) alone or
    /// in front of a zone suffix, so that random names reach the lookup, the pod-name parser and the reverse
    /// zones; random type and class; sometimes random bytes after the question.
    /// </summary>
    public static byte[] RandomQuestion(Random random)
    {
        var writer = new WireWriter().Header(random.Next(65536), 1, 0, 0, 0);
        var labels = random.Next(1, 5);
        for (var i = 0; i < labels; i++)
        {
            var label = new byte[random.Next(1, 20)];
            if (random.Next(2) == 0)
            {
                random.NextBytes(label);
            }
            else
            {
                // Digits, dashes and hex letters: the alphabet of dashed pod and endpoint names.
                for (var c = 0; c < label.Length; c++)
                {
                    label[c] = (byte)"0123456789-abcdef"[random.Next(17)];
                }
            }

            writer.U8(label.Length).Bytes(label);
        }

        string[] suffixes = ["", "default.pod.cluster.local", "pod.cluster.local", "web.default.svc.cluster.local", "default.svc.cluster.local", "svc.cluster.local", "cluster.local", "in-addr.arpa", "ip6.arpa"];
        writer.Name(suffixes[random.Next(suffixes.Length)]);
        ushort[] types = [1, 2, 5, 6, 12, 16, 28, 33, 255, 252, 251, 41, 0];
        writer.U16(random.Next(4) == 0 ? random.Next(65536) : types[random.Next(types.Length)]);
        writer.U16(random.Next(4) == 0 ? random.Next(65536) : 1);
        var query = writer.ToArray();
        return random.Next(4) == 0 ? [.. query, .. RandomBytes(random, 20)] : query;
    }

    /// <summary>A copy of <paramref name="query"/> with <paramref name="count"/> bytes overwritten, bit-flipped or set to an edge value.</summary>
    public static byte[] Mutate(Random random, byte[] query, int count)
    {
        var bytes = (byte[])query.Clone();
        for (var i = 0; i < count && bytes.Length > 0; i++)
        {
            var position = random.Next(bytes.Length);
            bytes[position] = random.Next(3) switch
            {
                0 => (byte)random.Next(256),
                1 => (byte)(bytes[position] ^ (1 << random.Next(8))),
                _ => (byte)(random.Next(4) switch { 0 => 0x00, 1 => 0x3F, 2 => 0xC0, _ => 0xFF }),
            };
        }

        return bytes;
    }

    /// <summary>A copy with a run of random bytes inserted or removed at a random position.</summary>
    public static byte[] Splice(Random random, byte[] query)
    {
        var position = random.Next(query.Length + 1);
        if (random.Next(2) == 0 && position < query.Length)
        {
            var removed = random.Next(1, query.Length - position + 1);
            return [.. query.AsSpan(0, position), .. query.AsSpan(position + removed)];
        }

        var inserted = new byte[random.Next(1, 16)];
        random.NextBytes(inserted);
        return [.. query.AsSpan(0, position), .. inserted, .. query.AsSpan(position)];
    }

    /// <summary>A copy whose four section counts are replaced by edge values or random ones.</summary>
    public static byte[] WithBogusCounts(Random random, byte[] query)
    {
        var bytes = (byte[])query.Clone();
        for (var offset = random.Next(2) == 0 ? 6 : 4; offset < 12; offset += 2) // Half keep QDCOUNT 1, to reach the record walk.
        {
            var value = random.Next(3) == 0 ? (ushort)random.Next(65536) : BogusCounts[random.Next(BogusCounts.Length)];
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(offset), value);
        }

        return bytes;
    }
}
