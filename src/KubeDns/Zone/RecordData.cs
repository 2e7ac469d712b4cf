using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace KubeDns.Zone;

/// <summary>Encodes RDATA for the record types the cluster zone serves (build time only).</summary>
internal static class RecordData
{
    public static byte[] Address(IPAddress address) => address.GetAddressBytes();

    /// <summary>TXT RDATA: one character-string (RFC 1035 §3.3.14).</summary>
    public static byte[] Txt(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        return [(byte)bytes.Length, .. bytes];
    }

    /// <summary>SOA RDATA (RFC 1035 §3.3.13); <paramref name="minimum"/> is the negative-caching TTL (RFC 2308 §4).</summary>
    public static byte[] Soa(byte[] mname, byte[] rname, uint serial, uint refresh, uint retry, uint expire, uint minimum)
    {
        var data = new byte[mname.Length + rname.Length + 20];
        mname.CopyTo(data, 0);
        rname.CopyTo(data, mname.Length);
        var numbers = data.AsSpan(mname.Length + rname.Length);
        BinaryPrimitives.WriteUInt32BigEndian(numbers, serial);
        BinaryPrimitives.WriteUInt32BigEndian(numbers[4..], refresh);
        BinaryPrimitives.WriteUInt32BigEndian(numbers[8..], retry);
        BinaryPrimitives.WriteUInt32BigEndian(numbers[12..], expire);
        BinaryPrimitives.WriteUInt32BigEndian(numbers[16..], minimum);
        return data;
    }
}
