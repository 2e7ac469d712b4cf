using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeDns.ScaleBenchmark.Measure;

/// <summary>DNS over UDP to the server under test, one question at a time, with the few answer fields the benchmark reads.</summary>
internal sealed class DnsProbe : IDisposable
{
    public const int NoError = 0;
    public const int ServFail = 2;
    public const int NxDomain = 3;
    private const ushort TypeA = 1;
    private const ushort TypePtr = 12;

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _response = new byte[65_535];
    private ushort _id;

    public DnsProbe(IPEndPoint server, TimeSpan timeout)
    {
        _socket.Connect(server);
        _socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
    }

    /// <summary>One A query; null when nothing answered in time (or the port is not open yet).</summary>
    public DnsAnswer? QueryA(string name) => Query(name, TypeA);

    public DnsAnswer? QueryPtr(string name) => Query(name, TypePtr);

    public void Dispose() => _socket.Dispose();

    private DnsAnswer? Query(string name, ushort type)
    {
        var id = ++_id;
        var query = Encode(id, name, type);
        try
        {
            _socket.Send(query);
            while (true)
            {
                var length = _socket.Receive(_response);
                if (length >= 12 && BinaryPrimitives.ReadUInt16BigEndian(_response) == id)
                {
                    return Decode(_response.AsSpan(0, length));
                }
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.ConnectionRefused or SocketError.WouldBlock)
        {
            return null;
        }
    }

    private static byte[] Encode(ushort id, string name, ushort type)
    {
        var bytes = new List<byte>(64);
        Span<byte> header = stackalloc byte[12];
        header.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0x0100); // RD, as a stub resolver sends it
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);
        bytes.AddRange(header.ToArray());
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        bytes.AddRange([(byte)(type >> 8), (byte)type, 0, 1]);
        return [.. bytes];
    }

    private static DnsAnswer Decode(ReadOnlySpan<byte> message)
    {
        var rcode = message[3] & 0x0F;
        var truncated = (message[2] & 0x02) != 0;
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var position = SkipName(message, 12) + 4;
        var addresses = new List<IPAddress>();
        var pointers = new List<string>();
        for (var i = 0; i < answers && position < message.Length; i++)
        {
            position = SkipName(message, position);
            var type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
            var data = message.Slice(position + 10, length);
            if (type == TypeA && length == 4)
            {
                addresses.Add(new IPAddress(data));
            }
            else if (type == TypePtr)
            {
                pointers.Add(ReadName(message, position + 10));
            }

            position += 10 + length;
        }

        return new DnsAnswer(rcode, answers, truncated, addresses, pointers);
    }

    private static int SkipName(ReadOnlySpan<byte> message, int position)
    {
        while (true)
        {
            var length = message[position];
            if (length == 0)
            {
                return position + 1;
            }

            if ((length & 0xC0) == 0xC0)
            {
                return position + 2;
            }

            position += length + 1;
        }
    }

    private static string ReadName(ReadOnlySpan<byte> message, int position)
    {
        var labels = new List<string>();
        while (message[position] is var length && length != 0)
        {
            if ((length & 0xC0) == 0xC0)
            {
                position = ((length & 0x3F) << 8) | message[position + 1];
                continue;
            }

            labels.Add(Encoding.ASCII.GetString(message.Slice(position + 1, length)));
            position += length + 1;
        }

        return string.Join('.', labels);
    }
}

/// <summary>What a response said: rcode, answer count, TC, and the A and PTR data it carried.</summary>
internal sealed record DnsAnswer(int RCode, int AnswerCount, bool Truncated, IReadOnlyList<IPAddress> Addresses, IReadOnlyList<string> Pointers);
