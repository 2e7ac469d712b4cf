using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeDns.Zone;

/// <summary>Names derived from IP addresses: dashed endpoint and pod labels, and reverse-lookup names.</summary>
internal static class AddressNames
{
    /// <summary>
    /// The dashed form CoreDNS uses for endpoints without a hostname and for pod names:
    /// <c>10.1.2.3</c> → <c>10-1-2-3</c>, <c>fd00::1</c> → <c>fd00--1</c>; a label may not end with '-', so a
    /// trailing one becomes <c>-0</c>.
    /// </summary>
    public static string Dashed(IPAddress address)
    {
        var text = address.ToString().Replace(address.AddressFamily == AddressFamily.InterNetwork ? '.' : ':', '-');
        return text.EndsWith('-') ? text + "0" : text;
    }

    /// <summary>
    /// Parses a dashed label back into address bytes (4 or 16 written to <paramref name="address"/>);
    /// returns the byte count, or 0 when the label is not an address. IPv4 parses without allocating.
    /// </summary>
    public static int ParseDashed(ReadOnlySpan<byte> label, Span<byte> address)
    {
        if (TryParseDashedIPv4(label, address))
        {
            return 4;
        }

        if (label.Length is 0 or > 45 || label.IndexOf((byte)'-') < 0)
        {
            return 0;
        }

        Span<char> text = stackalloc char[label.Length];
        for (var i = 0; i < label.Length; i++)
        {
            text[i] = label[i] == '-' ? ':' : (char)label[i];
        }

        // A rare path (IPv6 pod names); IPAddress is the only IPv6 parser in the box.
        return IPAddress.TryParse(text, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6
            && parsed.TryWriteBytes(address, out var written) ? written : 0;
    }

    private static bool TryParseDashedIPv4(ReadOnlySpan<byte> label, Span<byte> address)
    {
        var octet = 0;
        var digits = 0;
        var index = 0;
        foreach (var c in label)
        {
            if (c == '-')
            {
                if (digits == 0 || index == 3)
                {
                    return false;
                }

                address[index++] = (byte)octet;
                octet = 0;
                digits = 0;
            }
            else if (c is >= (byte)'0' and <= (byte)'9' && digits < 3)
            {
                octet = (octet * 10) + (c - '0');
                digits++;
                if (octet > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || index != 3)
        {
            return false;
        }

        address[3] = (byte)octet;
        return true;
    }

    private static ReadOnlySpan<byte> InAddrArpa => "\u0007in-addr\u0004arpa\0"u8;

    private static ReadOnlySpan<byte> Ip6Arpa => "\u0003ip6\u0004arpa\0"u8;

    /// <summary>
    /// Reads the address a lower-case wire reverse name spells (4 octets under in-addr.arpa, 32 nibbles under
    /// ip6.arpa, RFC 3596 §2.5) into <paramref name="address"/>: 4, 16, or 0 when it is no full address. Only
    /// the spelling <see cref="Reverse"/> writes is read (no leading zeros), as the zone's PTR names were.
    /// </summary>
    public static int ParseReverse(ReadOnlySpan<byte> name, Span<byte> address)
    {
        if (name.EndsWith(InAddrArpa) && name.Length > InAddrArpa.Length)
        {
            var labels = name[..^InAddrArpa.Length];
            for (var i = 3; i >= 0; i--)
            {
                if (!TryReadOctetLabel(ref labels, out address[i]))
                {
                    return 0;
                }
            }

            return labels.IsEmpty ? 4 : 0;
        }

        if (!name.EndsWith(Ip6Arpa) || name.Length != Ip6Arpa.Length + 64)
        {
            return 0;
        }

        for (var i = 0; i < 32; i++)
        {
            if (name[2 * i] != 1 || HexValue(name[(2 * i) + 1]) is not (>= 0 and var nibble))
            {
                return 0;
            }

            // The first label is the low nibble of the last byte.
            var index = 15 - (i / 2);
            address[index] = (byte)(i % 2 == 0 ? nibble : address[index] | (nibble << 4));
        }

        return 16;
    }

    private static bool TryReadOctetLabel(ref ReadOnlySpan<byte> labels, out byte octet)
    {
        octet = 0;
        if (labels.IsEmpty || labels[0] is 0 or > 3 || labels.Length < 1 + labels[0])
        {
            return false;
        }

        var digits = labels.Slice(1, labels[0]);
        labels = labels[(1 + digits.Length)..];
        if (digits.Length > 1 && digits[0] == '0')
        {
            return false;
        }

        var value = 0;
        foreach (var c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        octet = (byte)value;
        return value <= 255;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };

    /// <summary><c>4.3.2.1.in-addr.arpa</c>, or the 32 reversed nibbles under <c>ip6.arpa</c> (RFC 3596 §2.5).</summary>
    public static string Reverse(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var builder = new StringBuilder(72);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                builder.Append(bytes[i].ToString(CultureInfo.InvariantCulture)).Append('.');
            }
            else
            {
                builder.Append(HexDigit(bytes[i] & 0xF)).Append('.').Append(HexDigit(bytes[i] >> 4)).Append('.');
            }
        }

        return builder.Append(address.AddressFamily == AddressFamily.InterNetwork ? "in-addr.arpa" : "ip6.arpa").ToString();
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
