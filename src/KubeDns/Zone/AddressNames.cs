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
