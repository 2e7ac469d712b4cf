using KubeDns.Resolution;
using KubeDns.Tests.Support;
using Xunit.Sdk;

namespace KubeDns.Tests.Robustness;

/// <summary>The checker itself: a robustness suite that cannot fail proves nothing, so each rule is shown to catch a broken handler.</summary>
public sealed class ResponseInvariantsTests
{
    private static readonly byte[] Query = QueryBytes.Build("web.default.svc.cluster.local", 1, id: 0xBEEF);

    [Fact]
    public void RealResolver_Passes()
    {
        new ResponseInvariants(HostileCluster.Shared.Resolver).Check(Query);
    }

    [Fact]
    public void HandlerThatThrows_IsCaught() =>
        AssertCaught(_ => throw new InvalidOperationException("a parser bug"));

    [Fact]
    public void WrongId_IsCaught() =>
        AssertCaught(query => Answer(query, response => response[0] ^= 0xFF));

    [Fact]
    public void QrClear_IsCaught() =>
        AssertCaught(query => Answer(query, response => response[2] &= 0x7F));

    [Fact]
    public void HeaderOnlyNoError_IsCaught() =>
        AssertCaught(query => [query[0], query[1], 0x81, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);

    [Fact]
    public void UnparsableAnswer_IsCaught() =>
        AssertCaught(query => Answer(query, response => response[7] = 9)); // Nine answers claimed, none there.

    [Fact]
    public void TrailingBytes_AreCaught() =>
        AssertCaught(query => [.. Answer(query, _ => { }), 0xDE, 0xAD]);

    [Fact]
    public void OversizedUdpAnswer_IsCaught() =>
        AssertCaught(query => Answer(query, _ => { }, records: 40)); // 47 + 640 bytes, no OPT.

    [Fact]
    public void ChangedQuestion_IsCaught() =>
        AssertCaught(query => Answer(query, response => response[13] ^= 0x20));

    private static void AssertCaught(Func<byte[], byte[]> respond) =>
        Assert.Throws<XunitException>(() => new ResponseInvariants(new FakeHandler(respond)).Check(Query, DnsTransport.Udp));

    /// <summary>The query turned into a valid answer (QR set, <paramref name="records"/> A records), then damaged by <paramref name="damage"/>.</summary>
    private static byte[] Answer(byte[] query, Action<byte[]> damage, int records = 0)
    {
        byte[] record = [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 10, 96, 0, 20];
        var response = query.Concat(Enumerable.Repeat(record, records).SelectMany(r => r)).ToArray();
        response[2] |= 0x80;
        response[7] = (byte)records;
        damage(response);
        return response;
    }

    private sealed class FakeHandler(Func<byte[], byte[]> respond) : IQueryHandler
    {
        public int Handle(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport)
        {
            var bytes = respond(query.ToArray());
            bytes.CopyTo(response);
            return bytes.Length;
        }
    }
}
