namespace KubeDns.Protocol;

/// <summary>Size limits from the DNS specifications.</summary>
internal static class DnsLimits
{
    /// <summary>Largest DNS message (TCP's two-byte length prefix, RFC 1035 §4.2.2).</summary>
    public const int MaxMessageSize = 65535;

    /// <summary>UDP payload without EDNS (RFC 1035 §4.2.1).</summary>
    public const int ClassicUdpSize = 512;

    /// <summary>Default cap on the EDNS UDP payload we send: the DNS Flag Day 2020 value, which avoids fragmentation.</summary>
    public const int DefaultMaxUdpSize = 1232;

    /// <summary>Largest UDP payload over IPv4 (65535 minus the IP and UDP headers); a bigger answer cannot be sent.</summary>
    public const int MaxUdpPayload = 65507;

    /// <summary>Longest name in wire format (RFC 1035 §2.3.4).</summary>
    public const int MaxNameLength = 255;

    /// <summary>Longest label (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;
}
