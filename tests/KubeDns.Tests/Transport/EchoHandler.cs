using KubeDns.Resolution;

namespace KubeDns.Tests.Transport;

/// <summary>
/// A query handler double: answers with the query itself, QR bit set. Like the real handler it sends nothing
/// for a message that is already a response (QR set). A query with ID 0xDEAD makes it throw; a query with ID
/// 0xB16 gets a response padded to <see cref="LargeResponseSize"/> bytes. <see cref="Gate"/>, when set, holds
/// every call until it opens.
/// </summary>
internal sealed class EchoHandler : IQueryHandler
{
    public const ushort ThrowId = 0xDEAD;
    public const ushort LargeId = 0xB16;
    public const int LargeResponseSize = 60_000;

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public ManualResetEventSlim? Gate { get; set; }

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport)
    {
        Interlocked.Increment(ref _calls);
        Gate?.Wait(TimeSpan.FromSeconds(10));
        if (query.Length < 12 || (query[2] & 0x80) != 0)
        {
            return 0;
        }

        ushort id = (ushort)((query[0] << 8) | query[1]);
        if (id == ThrowId)
        {
            throw new InvalidOperationException("test handler failure");
        }

        query.CopyTo(response);
        response[2] |= 0x80;
        if (id == LargeId)
        {
            response[query.Length..LargeResponseSize].Fill(0xAB);
            return LargeResponseSize;
        }

        return query.Length;
    }
}
