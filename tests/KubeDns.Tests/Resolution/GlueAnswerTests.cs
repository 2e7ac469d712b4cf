using ARSoft.Tools.Net.Dns;
using KubeDns.Resolution;
using KubeDns.Tests.Support;
using static KubeDns.Tests.Support.TestCluster;

namespace KubeDns.Tests.Resolution;

/// <summary>
/// The additional section of SRV answers, whose records the zone keeps as (answer, address) and the resolver
/// owns by a compression pointer to the SRV target it wrote: every glue record named as its target, read back
/// with ARSoft.Tools.Net, whatever precedes the SRV records, and with the target written out where a pointer
/// cannot reach (past 16 KiB of a TCP answer).
/// </summary>
public sealed class GlueAnswerTests
{
    private readonly TestCluster _cluster = StandardCluster.Create();

    [Fact]
    public void AnyAtAService_OwnsEachGlueRecordByItsSrvTarget_AfterTheAddressRecords()
    {
        var answer = _cluster.Resolver.Resolve("web.default.svc.cluster.local", RecordType.Any);

        var targets = answer.AnswerRecords.OfType<SrvRecord>().Select(r => r.Target.ToString()).ToHashSet();
        Assert.NotEmpty(targets);
        var glue = answer.AdditionalRecords.OfType<ARecord>().ToArray();
        Assert.NotEmpty(glue);
        Assert.All(glue, record => Assert.Contains(record.Name.ToString(), targets));
        Assert.All(glue, record => Assert.Equal("10.96.0.20", record.Address.ToString()));
    }

    [Fact]
    public void SrvReachedThroughACname_OwnsItsGlueByTheTargetsUnderTheWrittenOutOwner()
    {
        // The SRV records follow a CNAME, so they are written with their owner spelled out (not the 2-byte
        // pointer to the question): the glue's pointers must account for the longer records.
        _cluster.Apply(
            ExternalName("default", "alias", "db.data.svc.cluster.local"),
            Headless("data", "db", Port("postgres", 5432)));

        var answer = _cluster.Resolver.Resolve("alias.default.svc.cluster.local", RecordType.Srv);

        Assert.IsType<CNameRecord>(answer.AnswerRecords[0]);
        var srv = answer.AnswerRecords.OfType<SrvRecord>().ToArray();
        Assert.Equal(2, srv.Length);
        Assert.Equal(
            srv.Select(r => r.Target.ToString()).Order(),
            answer.AdditionalRecords.OfType<ARecord>().Select(r => r.Name.ToString()).Order());
        Assert.Equal(
            ["db-0.db.data.svc.cluster.local. 10.244.2.10", "db-1.db.data.svc.cluster.local. 10.244.2.11"],
            answer.AdditionalRecords.OfType<ARecord>().Select(r => $"{r.Name} {r.Address}").Order());
    }

    [Fact]
    public void ALongTcpAnswer_NamesEveryGlueRecordAsItsTarget_PastWhereAPointerReaches()
    {
        // 400 endpoints: ~24 KB of SRV records, so the later targets start past offset 0x3FFF.
        var endpoints = Enumerable.Range(0, 400).Select(i => Endpoint($"10.250.{i / 200}.{i % 200}")).ToArray();
        _cluster.Apply(
            Headless("default", "many", Port("http", 80)),
            Slice("default", "many-1", "many", [EndpointPort("http", 80)], endpoints));

        var answer = _cluster.Resolver.Resolve("many.default.svc.cluster.local", RecordType.Srv, DnsTransport.Tcp);

        Assert.False(answer.IsTruncated);
        var srv = answer.AnswerRecords.OfType<SrvRecord>().ToArray();
        Assert.Equal(400, srv.Length);
        var glue = answer.AdditionalRecords.OfType<ARecord>().ToArray();
        Assert.Equal(400, glue.Length);
        Assert.Equal(srv.Select(r => r.Target.ToString()).Order(), glue.Select(r => r.Name.ToString()).Order());
        Assert.All(glue, record => Assert.Equal(AddressNames(record.Address), record.Name.ToString()));
    }

    [Fact]
    public void AUdpAnswerThatFits_HasAllItsGlue_EachRecordOwnedByATwoBytePointer()
    {
        var bytes = _cluster.Resolver.ResolveBytes(QueryBytes.Build("_postgres._tcp.db.data.svc.cluster.local", (ushort)RecordType.Srv));
        var answer = DnsMessage.Parse(bytes);

        // Header, question, 2 SRV records written from the zone, then 2 glue records of 2 + 10 + 4 bytes each.
        var glue = answer.AdditionalRecords.OfType<ARecord>().ToArray();
        Assert.Equal(2, glue.Length);
        var srvBytes = answer.AnswerRecords.OfType<SrvRecord>().Sum(r => 2 + 10 + 6 + r.Target.ToString().Length + 1);
        var question = "_postgres._tcp.db.data.svc.cluster.local".Length + 2 + 4;
        Assert.Equal(12 + question + srvBytes + (2 * (2 + 10 + 4)), bytes.Length);
    }

    private static string AddressNames(System.Net.IPAddress address) => address.ToString().Replace('.', '-') + ".many.default.svc.cluster.local.";
}
