using KubeDns.Transport;

namespace KubeDns.Tests.Transport;

public sealed class TcpReceiveBufferTests
{
    [Fact]
    public void TryTakeMessage_ByteByByte_GivesEachMessageWhenComplete()
    {
        using var buffer = new TcpReceiveBuffer();
        byte[] stream = DnsMessages.Framed(DnsMessages.Query(1, length: 20), DnsMessages.Query(2, length: 5000), DnsMessages.Query(3, length: 12));
        var taken = new List<byte[]>();

        foreach (byte b in stream)
        {
            while (buffer.TryTakeMessage(out ReadOnlyMemory<byte> message))
            {
                taken.Add(message.ToArray());
            }

            Assert.False(buffer.FreeSpace.IsEmpty);
            buffer.FreeSpace.Span[0] = b;
            buffer.Commit(1);
        }

        while (buffer.TryTakeMessage(out ReadOnlyMemory<byte> message))
        {
            taken.Add(message.ToArray());
        }

        Assert.Equal([DnsMessages.Query(1, length: 20), DnsMessages.Query(2, length: 5000), DnsMessages.Query(3, length: 12)], taken);
        Assert.Equal(0, buffer.Pending);
    }

    [Fact]
    public void TryTakeMessage_LongestMessage_GrowsToFitIt()
    {
        using var buffer = new TcpReceiveBuffer();
        byte[] stream = DnsMessages.Framed(DnsMessages.Query(9, length: 65535));
        int written = 0;

        while (!buffer.TryTakeMessage(out _))
        {
            int count = Math.Min(buffer.FreeSpace.Length, stream.Length - written);
            stream.AsSpan(written, count).CopyTo(buffer.FreeSpace.Span);
            buffer.Commit(count);
            written += count;
        }

        Assert.Equal(stream.Length, written);
    }

    [Fact]
    public void TryTakeMessage_ZeroLength_GivesAnEmptyMessage()
    {
        using var buffer = new TcpReceiveBuffer();
        buffer.FreeSpace.Span[..2].Clear();
        buffer.Commit(2);

        Assert.True(buffer.TryTakeMessage(out ReadOnlyMemory<byte> message));
        Assert.True(message.IsEmpty);
    }
}
