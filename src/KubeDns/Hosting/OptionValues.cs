using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KubeDns.Protocol;

namespace KubeDns.Hosting;

/// <summary>Pure parsers for flag values. Each returns false for a bad value; the caller words the error.</summary>
internal static class OptionValues
{
    /// <summary>
    /// <c>ADDR:PORT</c>: an IPv4 address in dotted-quad form (<c>127.0.0.1:5353</c>) or a bracketed IPv6
    /// address (<c>[::1]:5353</c>), and a port from 0 to 65535 (0 lets the system choose).
    /// </summary>
    public static bool TryParseEndPoint(string text, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !TryParsePort(text.AsSpan(colon + 1), out int port))
        {
            return false;
        }

        ReadOnlySpan<char> host = text.AsSpan(0, colon);
        IPAddress? address;
        if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            if (!IPAddress.TryParse(host[1..^1], out address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else if (!TryParseDottedQuad(host, out address))
        {
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>
    /// An HTTP endpoint address: <c>ADDR:PORT</c> as for <see cref="TryParseEndPoint"/>, <c>:PORT</c> for every
    /// IPv4 interface (CoreDNS's <c>:8080</c> spelling), or <c>off</c> for no endpoint (null).
    /// </summary>
    public static bool TryParseHttpEndPoint(string text, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (text == "off")
        {
            return true;
        }

        return TryParseEndPoint(text.StartsWith(':') ? "0.0.0.0" + text : text, out endPoint);
    }

    /// <summary>An upstream resolver: <c>ADDR:PORT</c> as for <see cref="TryParseEndPoint"/>, or a bare IPv4 or IPv6 address (port 53).</summary>
    public static bool TryParseUpstream(string text, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        if (TryParseEndPoint(text, out endPoint))
        {
            return endPoint.Port != 0;
        }

        if (IPAddress.TryParse(text, out IPAddress? address) && (address.AddressFamily == AddressFamily.InterNetworkV6 || TryParseDottedQuad(text, out _)))
        {
            endPoint = new IPEndPoint(address, 53);
            return true;
        }

        return false;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], digits only.</summary>
    public static bool TryParseInt(string text, int min, int max, out int value)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    /// <summary>
    /// A DNS name of letters, digits and inner hyphens (labels of 1 to 63 characters, 253 in all), returned in
    /// lower case without a trailing dot.
    /// </summary>
    public static bool TryNormaliseDomain(string text, [NotNullWhen(true)] out string? domain)
    {
        domain = null;
        string name = text.EndsWith('.') ? text[..^1] : text;
        if (name.Length == 0 || name.Length > DnsLimits.MaxNameLength - 2)
        {
            return false;
        }

        foreach (string label in name.Split('.'))
        {
            if (!IsHostnameLabel(label))
            {
                return false;
            }
        }

#pragma warning disable CA1308 // DNS names are compared and printed in lower case, like Kubernetes and CoreDNS do.
        domain = name.ToLowerInvariant();
#pragma warning restore CA1308
        return true;
    }

    private static bool IsHostnameLabel(string label)
    {
        if (label.Length is 0 or > DnsLimits.MaxLabelLength || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }

        foreach (char c in label)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= IPEndPoint.MaxPort;

    // IPAddress.TryParse also takes "127.1", "2130706433" and octal "010.0.0.1"; a listen address must be
    // written the one plain way, which is how it prints.
    private static bool TryParseDottedQuad(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address)
    {
        if (IPAddress.TryParse(text, out address)
            && address.AddressFamily == AddressFamily.InterNetwork
            && text.SequenceEqual(address.ToString()))
        {
            return true;
        }

        address = null;
        return false;
    }

    /// <summary>Namespace names (DNS-1123 labels), comma-separated, at least one.</summary>
    public static bool TryParseNamespaces(string text, [NotNullWhen(true)] out string[]? namespaces)
    {
        namespaces = text.Split(',', StringSplitOptions.TrimEntries);
        if (namespaces.Length == 0 || !namespaces.All(IsNamespaceName))
        {
            namespaces = null;
            return false;
        }

        return true;
    }

    /// <summary>An equality-based selector (<c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>), comma-separated.</summary>
    public static bool TryParseLabelSelector(string text, [NotNullWhen(true)] out string? selector)
    {
        selector = null;
        foreach (var requirement in text.Split(','))
        {
            var key = requirement.Trim().TrimStart('!').Split(["!=", "==", "="], 2, StringSplitOptions.None)[0];
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
            {
                return false;
            }
        }

        selector = text;
        return true;
    }

    private static bool IsNamespaceName(string name) =>
        name.Length is > 0 and <= 63 && name[0] != '-' && name[^1] != '-'
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
