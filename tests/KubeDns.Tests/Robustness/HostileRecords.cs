namespace KubeDns.Tests.Robustness;

/// <summary>
/// Structured attacks on the parts of a query a parser must walk: compression loops and wild pointers in
/// the records after the question, labels longer than 63 and names longer than 255, and OPT records with
/// random sizes, versions, flags and options (some with lengths that lie).
/// </summary>
internal static class HostileRecords
{
    private const string Name = "web.default.svc.cluster.local";

    /// <summary>Option codes a resolver meets: LLQ, NSID, ECS, EXPIRE, COOKIE, keepalive, PADDING, EDE, and nonsense.</summary>
    private static readonly int[] OptionCodes = [1, 3, 8, 9, 10, 11, 12, 15, 0, 0xFFFF];

    private static readonly int[] PayloadSizes = [0, 1, 511, 512, 513, 1231, 1232, 1233, 4096, 65535];

    /// <summary>A valid question followed by records whose owner names are compression loops or wild pointers.</summary>
    public static byte[] CompressionLoops(Random random)
    {
        var records = random.Next(1, 5);
        var writer = new WireWriter().Header(random.Next(65536), 1, 0, 0, records).Name(Name).U16(random.Next(2) == 0 ? 1 : 33).U16(1);
        for (var i = 0; i < records; i++)
        {
            var start = writer.Position;
            switch (random.Next(6))
            {
                case 0:
                    writer.Pointer(start); // Points at itself.
                    break;
                case 1:
                    writer.U8(1).U8('a').Pointer(start); // A label, then back to that label: an endless name.
                    break;
                case 2:
                    writer.Pointer(start + 2).Pointer(start); // Two pointers pointing at each other.
                    break;
                case 3:
                    writer.Pointer(random.Next(0x4000)); // Anywhere, most likely past the end.
                    break;
                case 4:
                    writer.Pointer(random.Next(12)); // Into the header.
                    break;
                default:
                    writer.U8(0xC0); // Half a pointer; whatever follows is read as its second byte.
                    break;
            }

            var type = random.Next(3) switch { 0 => 41, 1 => 1, _ => random.Next(65536) };
            var data = new byte[random.Next(8)];
            random.NextBytes(data);
            writer.Record(type, random.Next(65536), (uint)random.Next(), data, random.Next(4) == 0 ? random.Next(65536) : null);
        }

        return writer.ToArray();
    }

    /// <summary>A compression pointer inside the question name itself, looping or pointing anywhere.</summary>
    public static byte[] PointerInQuestion(Random random)
    {
        var writer = new WireWriter().Header(random.Next(65536), 1, 0, 0, 0);
        if (random.Next(2) == 0)
        {
            writer.U8(3).Bytes("web"u8);
        }

        return writer.Pointer(random.Next(3) == 0 ? random.Next(0x4000) : 12).U16(1).U16(1).ToArray();
    }

    /// <summary>Question names with a label length of 64..255 (extended label types included), or longer than 255 bytes in total.</summary>
    public static byte[] HugeLabels(Random random)
    {
        var writer = new WireWriter().Header(random.Next(65536), 1, 0, 0, 0);
        switch (random.Next(4))
        {
            case 0:
                var length = random.Next(64, 256);
                var label = new byte[random.Next(2) == 0 ? length : random.Next(length)];
                random.NextBytes(label);
                writer.U8(length).Bytes(label).U8(0);
                break;
            case 1:
                // A sane first label, then a huge one in the middle of the name.
                writer.U8(3).Bytes("web"u8).U8(random.Next(64, 256)).Bytes(Filled(random.Next(70), (byte)'x')).U8(0);
                break;
            case 2:
                // Three 63-byte labels and one of 61, 62 or 63 bytes: 255 octets (the limit), 256 or 257; or five 63s (321).
                var last = random.Next(61, 65);
                for (var i = 0; i < 3; i++)
                {
                    writer.U8(63).Bytes(Filled(63, (byte)('a' + i)));
                }

                writer.U8(Math.Min(last, 63)).Bytes(Filled(Math.Min(last, 63), (byte)'d'));
                if (last == 64)
                {
                    writer.U8(63).Bytes(Filled(63, (byte)'e'));
                }

                writer.U8(0);
                break;
            default:
                // Many one-letter labels: 127 of them is 255 bytes with the root, 128 is one too many.
                var count = random.Next(120, 135);
                for (var i = 0; i < count; i++)
                {
                    writer.U8(1).U8('a');
                }

                writer.U8(0);
                break;
        }

        return writer.U16(1).U16(1).ToArray();
    }

    /// <summary>A valid question and OPT records with random payload size, version, flags and options.</summary>
    public static byte[] RandomEdns(Random random)
    {
        var opts = random.Next(10) == 0 ? 2 : 1;
        var inAnswer = random.Next(10) == 0;
        var writer = new WireWriter().Header(random.Next(65536), 1, inAnswer ? 1 : 0, 0, opts)
            .Name(random.Next(2) == 0 ? Name : "big.default.svc.cluster.local").U16(random.Next(4) == 0 ? 255 : 1).U16(1);
        if (inAnswer)
        {
            writer.U8(0).Record(1, 1, 0, [10, 0, 0, 1]); // An answer record, so the OPT below is in the additional section.
        }

        for (var i = 0; i < opts; i++)
        {
            var options = new WireWriter();
            var optionCount = random.Next(5);
            for (var o = 0; o < optionCount; o++)
            {
                var value = new byte[random.Next(40)];
                random.NextBytes(value);
                var declared = random.Next(8) == 0 ? random.Next(65536) : value.Length;
                options.U16(OptionCodes[random.Next(OptionCodes.Length)]).U16(declared).Bytes(value);
            }

            var version = random.Next(8) == 0 ? random.Next(256) : 0;
            var ttl = ((uint)random.Next(256) << 24) | ((uint)version << 16) | (uint)random.Next(65536);
            var payload = random.Next(2) == 0 ? PayloadSizes[random.Next(PayloadSizes.Length)] : random.Next(65536);
            var data = options.ToArray();
            if (random.Next(16) == 0)
            {
                writer.U8(1).U8('x'); // An OPT owner other than the root is forbidden (RFC 6891 §6.1.2).
            }

            writer.U8(0);
            writer.Record(41, payload, ttl, data, random.Next(8) == 0 ? random.Next(65536) : null);
        }

        return writer.ToArray();
    }

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }
}
