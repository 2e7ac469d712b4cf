using System.Text;

namespace KubeDns.Protocol;

/// <summary>
/// Domain names in wire format (length-prefixed labels ending with the root's zero byte, RFC 1035 §3.1).
/// The zone keys every name by its lower-case wire form; matching is case-insensitive (RFC 4343) and only
/// ASCII letters fold. Length bytes are at most 63, below 'A', so folding a whole wire name never alters them.
/// </summary>
internal static class DnsName
{
    /// <summary>The root name: one zero byte.</summary>
    public static ReadOnlySpan<byte> Root => [0];

    /// <summary>
    /// Encodes a dotted name (a trailing dot is optional) as lower-case wire format.
    /// Returns null when a label is empty or longer than 63 bytes, the name exceeds 255 bytes, or it is not ASCII.
    /// </summary>
    public static byte[]? TryEncode(string dotted)
    {
        var text = dotted.EndsWith('.') ? dotted[..^1] : dotted;
        if (text.Length == 0)
        {
            return [0];
        }

        if (text.Length + 2 > DnsLimits.MaxNameLength || !Ascii.IsValid(text))
        {
            return null;
        }

        var wire = new byte[text.Length + 2];
        var position = 0;
        foreach (var label in text.Split('.'))
        {
            if (label.Length is 0 or > DnsLimits.MaxLabelLength)
            {
                return null;
            }

            wire[position] = (byte)label.Length;
            Ascii.ToLower(label, wire.AsSpan(position + 1, label.Length), out _);
            position += label.Length + 1;
        }

        wire[position] = 0;
        return wire;
    }

    /// <summary>Encodes a name that is known to be valid; throws otherwise.</summary>
    public static byte[] Encode(string dotted) =>
        TryEncode(dotted) ?? throw new ArgumentException($"'{dotted}' is not a valid domain name", nameof(dotted));

    /// <summary>Concatenates a relative label sequence (no root byte) with a wire name.</summary>
    public static byte[]? TryConcat(ReadOnlySpan<byte> relativeLabels, ReadOnlySpan<byte> suffix)
    {
        if (relativeLabels.Length + suffix.Length > DnsLimits.MaxNameLength)
        {
            return null;
        }

        return [.. relativeLabels, .. suffix];
    }

    /// <summary>Writes one label in wire format; false when empty or longer than 63 bytes.</summary>
    public static bool TryAppendLabel(List<byte> target, string label)
    {
        if (label.Length is 0 or > DnsLimits.MaxLabelLength || !Ascii.IsValid(label))
        {
            return false;
        }

        target.Add((byte)label.Length);
        foreach (var c in label)
        {
            target.Add((byte)char.ToLowerInvariant(c));
        }

        return true;
    }

    /// <summary>Dotted text of a wire name, for logs and tests.</summary>
    public static string ToDotted(ReadOnlySpan<byte> wire)
    {
        var builder = new StringBuilder();
        var position = 0;
        while (position < wire.Length && wire[position] != 0)
        {
            int length = wire[position];
            builder.Append(Encoding.ASCII.GetString(wire.Slice(position + 1, length))).Append('.');
            position += length + 1;
        }

        return builder.Length == 0 ? "." : builder.ToString();
    }

    /// <summary>Hash of a lower-case wire name, the same at zone-build time and at query time.</summary>
    public static int Hash(ReadOnlySpan<byte> lowerWire)
    {
        var hash = new HashCode();
        hash.AddBytes(lowerWire);
        return hash.ToHashCode();
    }

    /// <summary>
    /// True when <paramref name="name"/> equals <paramref name="suffix"/> or ends with it on a label boundary.
    /// Both are lower-case wire names; <paramref name="labelsBefore"/> counts the labels in front of the suffix.
    /// </summary>
    public static bool IsAtOrBelow(ReadOnlySpan<byte> name, ReadOnlySpan<byte> suffix, out int labelsBefore)
    {
        labelsBefore = 0;
        var position = 0;
        while (true)
        {
            if (name.Length - position == suffix.Length && name[position..].SequenceEqual(suffix))
            {
                return true;
            }

            if (position >= name.Length || name[position] == 0)
            {
                return false;
            }

            position += name[position] + 1;
            labelsBefore++;
        }
    }
}
