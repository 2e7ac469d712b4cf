using ARSoft.Tools.Net.Dns;
using KubeDns.Hosting;
using KubeDns.Resolution;
using KubeDns.Tests.Support;
using KubeDns.Upstream;

namespace KubeDns.Tests.Upstream;

/// <summary>
/// The cache of upstream answers, fed with real DNS messages (answers of our own resolver stand in for an
/// upstream's) and read back with ARSoft.Tools.Net: TTL caps and countdown, RFC 2308 negative TTLs,
/// SERVFAIL kept briefly, what is never kept, the bound, serve-stale, and hits that allocate nothing.
/// </summary>
public sealed class ResponseCacheTests
{
    private static readonly TestCluster Cluster = StandardCluster.Create(new ServerOptions { Ttl = 300 });
    private readonly ManualTime _time = new();

    [Fact]
    public void Hit_EchoesTheClientsIdAndSpelling_AndCountsTtlsDown()
    {
        var cache = new ResponseCache(100, TimeSpan.FromSeconds(30), TimeSpan.Zero, _time);
        Store(cache, "web.default.svc.cluster.local", RecordType.A);
        _time.Advance(TimeSpan.FromSeconds(12));

        var answer = Lookup(cache, "WEB.default.svc.cluster.local", RecordType.A, id: 0x4242);

        Assert.NotNull(answer);
        Assert.Equal(0x4242, answer.TransactionID);
        Assert.Equal("WEB.default.svc.cluster.local.", answer.Questions.Single().Name.ToString());
        Assert.Equal(18, Assert.Single(answer.AnswerRecords).TimeToLive); // 300 capped at 30, 12 s later
    }

    [Fact]
    public void Entry_ExpiresAtItsCappedTtl()
    {
        var cache = new ResponseCache(100, TimeSpan.FromSeconds(30), TimeSpan.Zero, _time);
        Store(cache, "web.default.svc.cluster.local", RecordType.A);

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Null(Lookup(cache, "web.default.svc.cluster.local", RecordType.A));
    }

    [Theory]
    [InlineData("nothing.default.svc.cluster.local", RecordType.A)] // NXDOMAIN
    [InlineData("web.default.svc.cluster.local", RecordType.Mx)] // NODATA
    public void NegativeAnswer_IsKeptForTheSoaMinimum(string name, RecordType type)
    {
        // Our SOA's TTL and MINIMUM are the zone TTL (300 here); the cap is 600, so the SOA decides (RFC 2308 §5).
        var cache = new ResponseCache(100, TimeSpan.FromSeconds(600), TimeSpan.Zero, _time);
        Store(cache, name, type);

        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.NotNull(Lookup(cache, name, type));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(Lookup(cache, name, type));
    }

    [Fact]
    public void ServFail_IsKeptFiveSeconds_Refused_NotAtAll()
    {
        var cache = new ResponseCache(100, TimeSpan.FromSeconds(30), TimeSpan.Zero, _time);
        var servfail = Response("x.example", RecordType.A, rcode: 2);
        var refused = Response("y.example", RecordType.A, rcode: 5);
        cache.Store(Key("x.example", RecordType.A), servfail);
        cache.Store(Key("y.example", RecordType.A), refused);

        Assert.NotNull(Lookup(cache, "x.example", RecordType.A));
        Assert.Null(Lookup(cache, "y.example", RecordType.A));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(Lookup(cache, "x.example", RecordType.A));
    }

    [Fact]
    public void TruncatedAnswer_IsNotKept()
    {
        var cache = new ResponseCache(100, TimeSpan.FromSeconds(30), TimeSpan.Zero, _time);
        var message = Resolve("web.default.svc.cluster.local", RecordType.A);
        message[2] |= 0x02; // TC

        cache.Store(Key("web.default.svc.cluster.local", RecordType.A), message);

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Capacity_IsABound_OldestGoFirst()
    {
        var cache = new ResponseCache(3, TimeSpan.FromSeconds(30), TimeSpan.Zero, _time);
        foreach (var name in new[] { "web.default", "api.default", "web.prod", "db.data" })
        {
            Store(cache, $"{name}.svc.cluster.local", RecordType.A);
        }

        Assert.Equal(3, cache.Count);
        Assert.Null(Lookup(cache, "web.default.svc.cluster.local", RecordType.A));
        Assert.NotNull(Lookup(cache, "db.data.svc.cluster.local", RecordType.A));
    }

    [Fact]
    public void ExpiredEntry_IsServedStaleOnlyWhenAskedAndWithinTheWindow()
    {
        var cache = new ResponseCache(100, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), _time);
        Store(cache, "web.default.svc.cluster.local", RecordType.A);
        _time.Advance(TimeSpan.FromSeconds(45));

        Assert.Null(Lookup(cache, "web.default.svc.cluster.local", RecordType.A));
        var stale = Lookup(cache, "web.default.svc.cluster.local", RecordType.A, stale: true);
        Assert.Equal(30, Assert.Single(stale!.AnswerRecords).TimeToLive);

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Null(Lookup(cache, "web.default.svc.cluster.local", RecordType.A, stale: true));
    }

    [Fact]
    public void Prefetch_IsAskedOnce_ForAPopularAnswerInItsLastTenth()
    {
        var cache = new ResponseCache(100, TimeSpan.FromSeconds(30), TimeSpan.Zero, _time, prefetch: true);
        Store(cache, "web.default.svc.cluster.local", RecordType.A);
        var key = Key("web.default.svc.cluster.local", RecordType.A);
        var query = QueryBytes.Build("web.default.svc.cluster.local", (ushort)RecordType.A);
        var response = new byte[4096];
        bool Refresh()
        {
            Assert.True(cache.TryAnswer(key, query, query.Length, response, 4096, stale: false, out _, out _, out var refresh));
            return refresh;
        }

        Assert.False(Refresh()); // fresh
        _time.Advance(TimeSpan.FromSeconds(27.5));
        Assert.True(Refresh()); // second hit, 2.5 s of 30 left: under a tenth
        Assert.False(Refresh()); // already being refreshed
    }

    [Fact]
    public void Prefetch_IsNotAskedForAnAnswerAskedOnce_OrWhenOff()
    {
        var on = new ResponseCache(100, TimeSpan.FromSeconds(30), TimeSpan.Zero, _time, prefetch: true);
        var off = new ResponseCache(100, TimeSpan.FromSeconds(30), TimeSpan.Zero, _time);
        Store(on, "web.default.svc.cluster.local", RecordType.A);
        Store(off, "web.default.svc.cluster.local", RecordType.A);
        _time.Advance(TimeSpan.FromSeconds(29));
        var key = Key("web.default.svc.cluster.local", RecordType.A);
        var query = QueryBytes.Build("web.default.svc.cluster.local", (ushort)RecordType.A);
        var response = new byte[4096];

        on.TryAnswer(key, query, query.Length, response, 4096, stale: false, out _, out _, out var once);
        off.TryAnswer(key, query, query.Length, response, 4096, stale: false, out _, out _, out var first);
        off.TryAnswer(key, query, query.Length, response, 4096, stale: false, out _, out _, out var second);

        Assert.False(once);
        Assert.False(first || second);
    }

    [Fact]
    public void Hit_AllocatesNothing()
    {
        var cache = new ResponseCache(100, TimeSpan.FromSeconds(30), TimeSpan.Zero, _time);
        Store(cache, "web.default.svc.cluster.local", RecordType.A);
        var key = Key("web.default.svc.cluster.local", RecordType.A);
        var query = QueryBytes.Build("web.default.svc.cluster.local", (ushort)RecordType.A);
        var response = new byte[4096];
        Assert.True(cache.TryAnswer(key, query, query.Length, response, 512, stale: false, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            cache.TryAnswer(key, query, query.Length, response, 512, stale: false, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Store(ResponseCache cache, string name, RecordType type) => cache.Store(Key(name, type), Resolve(name, type));

    private static DnsMessage? Lookup(ResponseCache cache, string name, RecordType type, ushort id = 7, bool stale = false)
    {
        var query = QueryBytes.Build(name, (ushort)type, id: id);
        var response = new byte[4096];
        return cache.TryAnswer(Key(name, type), query, query.Length, response, 4096, stale, out var length)
            ? DnsMessage.Parse(response[..length])
            : null;
    }

    private static byte[] Key(string name, RecordType type)
    {
        var wire = QueryBytes.EncodeName(name.ToLowerInvariant());
        var key = new byte[CacheKey.PrefixLength + wire.Length];
        CacheKey.Write(key, wire, (ushort)type, 1, hasOpt: false, dnssecOk: false);
        return key;
    }

    private static byte[] Resolve(string name, RecordType type)
    {
        var response = new byte[4096];
        var length = Cluster.Resolver.Handle(QueryBytes.Build(name, (ushort)type), response, DnsTransport.Udp);
        return response[..length];
    }

    /// <summary>A header-and-question response with the given rcode, as an upstream's error answer.</summary>
    private static byte[] Response(string name, RecordType type, int rcode)
    {
        var message = QueryBytes.Build(name, (ushort)type);
        message[2] |= 0x80; // QR
        message[3] = (byte)(0x80 | rcode); // RA + rcode
        return message;
    }
}
