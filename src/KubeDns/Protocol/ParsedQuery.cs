namespace KubeDns.Protocol;

/// <summary>What the resolver needs from a query message, read without allocating.</summary>
internal ref struct ParsedQuery
{
    public ushort Id;
    public ushort Flags;

    /// <summary>Offset just past QTYPE and QCLASS: the question is <c>message[12..QuestionEnd]</c>.</summary>
    public int QuestionEnd;

    /// <summary>The question name folded to lower case, in wire format.</summary>
    public ReadOnlySpan<byte> Name;

    public ushort Type;
    public ushort Class;

    public bool HasOpt;
    public ushort EdnsPayloadSize;
    public byte EdnsVersion;

    /// <summary>The DO bit, which the response copies (RFC 3225 §3).</summary>
    public bool DnssecOk;

    public readonly int Opcode => (Flags & DnsHeader.OpcodeMask) >> 11;
}
