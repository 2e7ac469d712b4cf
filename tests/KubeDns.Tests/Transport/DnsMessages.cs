using System.Buffers.Binary;

namespace KubeDns.Tests.Transport;

/// <summary>Test messages: a 12-byte header with an ID, optionally padded, and the TCP length framing.</summary>
internal static class DnsMessages
{
    public static byte[] Query(ushort id, int length = 29)
    {
        var message = new byte[length];
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        message[2] = 0x01; // RD
        message[5] = 1;    // QDCOUNT 1 (content is opaque to the transport)
        for (int i = 12; i < length; i++)
        {
            message[i] = (byte)i;
        }

        return message;
    }

    /// <summary>A message with QR set: the handler answers nothing.</summary>
    public static byte[] Response(ushort id)
    {
        byte[] message = Query(id);
        message[2] |= 0x80;
        return message;
    }

    public static ushort Id(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message);

    public static bool IsResponse(ReadOnlySpan<byte> message) => (message[2] & 0x80) != 0;

    public static byte[] Framed(params byte[][] messages)
    {
        var framed = new List<byte>();
        foreach (byte[] message in messages)
        {
            framed.Add((byte)(message.Length >> 8));
            framed.Add((byte)message.Length);
            framed.AddRange(message);
        }

        return [.. framed];
    }
}
