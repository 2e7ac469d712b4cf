using System.Buffers.Binary;
using KubeDns.Protocol;

namespace KubeDns.Upstream;

/// <summary>
/// One cached upstream answer: the message as received, where its TTL fields are (so a hit counts them down
/// in place: RFC 1035 §3.2.1 TTLs are relative to when the answer was received), and how long it stays fresh.
/// </summary>
internal sealed class CachedAnswer(byte[] message, int[] ttlOffsets, uint[] ttls, long storedAt, uint freshFor, bool denial)
{
    private int _hits;
    private int _prefetching;

    /// <summary>NXDOMAIN or NODATA (CoreDNS's "denial" cache), as opposed to a positive answer or SERVFAIL.</summary>
    public bool IsDenial { get; } = denial;

    /// <summary>Counts a hit; returns the hits so far.</summary>
    public int Hit() => Interlocked.Increment(ref _hits);

    /// <summary>True for the one caller that gets to refresh this answer before it expires.</summary>
    public bool TryStartPrefetch() => Interlocked.Exchange(ref _prefetching, 1) == 0;

    public byte[] Message { get; } = message;

    public int[] TtlOffsets { get; } = ttlOffsets;

    public uint[] Ttls { get; } = ttls;

    /// <summary>When it was stored (TimeProvider timestamp).</summary>
    public long StoredAt { get; } = storedAt;

    /// <summary>Seconds it is served as fresh.</summary>
    public uint FreshFor { get; } = freshFor;

    /// <summary>
    /// Reads what caching needs from an upstream message: the TTL offsets of every record but OPT, and how
    /// long it may be cached: positive answers for their smallest TTL, NXDOMAIN and NODATA for the SOA's
    /// TTL or MINIMUM, whichever is smaller (RFC 2308 §5), SERVFAIL briefly (RFC 2308 §7.1). Null for what
    /// is not cached: truncated answers, other rcodes, negative answers without an SOA, unreadable messages.
    /// </summary>
    public static CachedAnswer? From(ReadOnlySpan<byte> message, uint maxTtl, uint servFailTtl, long now)
    {
        if (message.Length < DnsHeader.Size || (DnsHeader.ReadUInt16(message, DnsHeader.FlagsOffset) & DnsHeader.TC) != 0
            || DnsHeader.ReadUInt16(message, DnsHeader.QuestionCountOffset) != 1)
        {
            return null;
        }

        var rcode = message[3] & 0x0F;
        if (rcode is not (ResponseCode.NoError or ResponseCode.NXDomain or ResponseCode.ServFail))
        {
            return null;
        }

        var answers = DnsHeader.ReadUInt16(message, DnsHeader.AnswerCountOffset);
        var authority = DnsHeader.ReadUInt16(message, DnsHeader.AuthorityCountOffset);
        var records = answers + authority + DnsHeader.ReadUInt16(message, DnsHeader.AdditionalCountOffset);
        var position = MessageNames.Skip(message, DnsHeader.Size) + 4;
        var offsets = new List<int>(records);
        var ttls = new List<uint>(records);
        uint smallest = uint.MaxValue;
        uint? negative = null;
        for (var i = 0; i < records; i++)
        {
            position = MessageNames.Skip(message, position);
            if (position < 0 || position + 10 > message.Length)
            {
                return null;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(position + 4)..]);
            var dataLength = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
            var dataEnd = position + 10 + dataLength;
            if (dataEnd > message.Length)
            {
                return null;
            }

            if (type != RecordType.OPT)
            {
                offsets.Add(position + 4);
                ttls.Add(ttl);
                if (i < answers)
                {
                    smallest = Math.Min(smallest, ttl);
                }

                if (type == RecordType.SOA && i >= answers && i < answers + authority && dataLength >= 20)
                {
                    var minimum = BinaryPrimitives.ReadUInt32BigEndian(message[(dataEnd - 4)..]);
                    negative = Math.Min(ttl, minimum);
                }
            }

            position = dataEnd;
        }

        uint freshFor;
        var denial = rcode == ResponseCode.NXDomain || (rcode == ResponseCode.NoError && answers == 0);
        if (rcode == ResponseCode.ServFail)
        {
            freshFor = servFailTtl;
        }
        else if (rcode == ResponseCode.NoError && answers > 0)
        {
            freshFor = smallest;
        }
        else if (negative is { } soa)
        {
            freshFor = soa;
        }
        else
        {
            return null; // RFC 2308 §5: a negative answer without an SOA is not cached.
        }

        freshFor = Math.Min(freshFor, maxTtl);
        return freshFor == 0 ? null : new CachedAnswer(message.ToArray(), [.. offsets], [.. ttls], now, freshFor, denial);
    }
}
