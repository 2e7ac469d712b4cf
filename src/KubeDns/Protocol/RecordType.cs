namespace KubeDns.Protocol;

/// <summary>Resource record TYPE and QTYPE values (RFC 1035 §3.2.2-3, RFC 3596, RFC 2782, RFC 6891).</summary>
internal static class RecordType
{
    public const ushort A = 1;
    public const ushort NS = 2;
    public const ushort CNAME = 5;
    public const ushort SOA = 6;
    public const ushort PTR = 12;
    public const ushort TXT = 16;
    public const ushort AAAA = 28;
    public const ushort SRV = 33;
    public const ushort OPT = 41;
    public const ushort IXFR = 251;
    public const ushort AXFR = 252;
    public const ushort ANY = 255;
}

/// <summary>CLASS values (RFC 1035 §3.2.4).</summary>
internal static class RecordClass
{
    public const ushort IN = 1;
    public const ushort ANY = 255;
}

/// <summary>Response codes (RFC 1035 §4.1.1; BADVERS is an extended code, RFC 6891 §9).</summary>
internal static class ResponseCode
{
    public const int NoError = 0;
    public const int FormErr = 1;
    public const int ServFail = 2;
    public const int NXDomain = 3;
    public const int NotImp = 4;
    public const int Refused = 5;
    public const int BadVers = 16;
}
