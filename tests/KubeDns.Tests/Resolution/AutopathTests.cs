using System.Net;
using ARSoft.Tools.Net.Dns;
using KubeDns.Hosting;
using KubeDns.Resolution;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Resolution;

/// <summary>
/// Server-side search path, answers read with ARSoft.Tools.Net: a pod's first try answered with a CNAME to
/// the first existing name of its search list, and every case where the answer must stay the normal one.
/// </summary>
public sealed class AutopathTests
{
    private static readonly byte[] PodInDefault = IPAddress.Parse("10.244.1.10").GetAddressBytes();
    private readonly TestCluster _cluster = StandardCluster.Create(new ServerOptions { Autopath = true });

    [Fact]
    public void FirstTry_OfAServiceInAnotherNamespace_IsACnameToIt()
    {
        var answer = Ask("web.prod.default.svc.cluster.local", RecordType.A, PodInDefault);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Equal("web.prod.svc.cluster.local.", Assert.IsType<CNameRecord>(answer.AnswerRecords[0]).CanonicalName.ToString());
        Assert.Equal("web.prod.svc.cluster.local.", answer.AnswerRecords[1].Name.ToString());
        Assert.Equal("10.96.1.20", Assert.IsType<ARecord>(answer.AnswerRecords[1]).Address.ToString());
    }

    [Fact]
    public void FirstTry_OfAnEndpointNameInAnotherNamespace_IsACnameToIt()
    {
        var answer = Ask("db-0.db.data.default.svc.cluster.local", RecordType.A, PodInDefault);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Equal("db-0.db.data.svc.cluster.local.", Assert.IsType<CNameRecord>(answer.AnswerRecords[0]).CanonicalName.ToString());
        Assert.Equal("10.244.2.10", Assert.IsType<ARecord>(answer.AnswerRecords[1]).Address.ToString());
    }

    [Fact]
    public void FirstTry_ReachingTheZoneLevel_IsACnameToIt()
    {
        var answer = Ask("dns-version.default.svc.cluster.local", RecordType.Txt, PodInDefault);

        Assert.Equal("dns-version.cluster.local.", Assert.IsType<CNameRecord>(answer.AnswerRecords[0]).CanonicalName.ToString());
        Assert.Equal("1.1.0", Assert.IsType<TxtRecord>(answer.AnswerRecords[1]).TextData);
    }

    [Fact]
    public void FirstTry_ToAnExternalNameInAnotherNamespace_FollowsItsChainInTheZone()
    {
        _cluster.Apply(TestCluster.ExternalName("prod", "alias", "web.default.svc.cluster.local"));

        var answer = Ask("alias.prod.default.svc.cluster.local", RecordType.A, PodInDefault);

        Assert.Equal(
            ["alias.prod.svc.cluster.local.", "web.default.svc.cluster.local."],
            answer.AnswerRecords.OfType<CNameRecord>().Select(r => r.CanonicalName.ToString()));
        Assert.Equal("10.96.0.20", answer.AnswerRecords.OfType<ARecord>().Single().Address.ToString());
    }

    [Theory]
    [InlineData("web.default.svc.cluster.local")] // exists as asked: the normal answer
    [InlineData("nothing.default.svc.cluster.local")] // nothing in the search list, and no forwarding
    [InlineData("web.prod.prod.svc.cluster.local")] // not the first try of a pod in default
    public void OtherNames_AreAnsweredNormally(string name)
    {
        var normal = _cluster.Resolver.Resolve(name, RecordType.A);

        var answer = Ask(name, RecordType.A, PodInDefault);

        Assert.Equal(normal.ReturnCode, answer.ReturnCode);
        Assert.Equal(normal.AnswerRecords.Texts(), answer.AnswerRecords.Texts());
        Assert.Empty(answer.AnswerRecords.OfType<CNameRecord>());
    }

    [Fact]
    public void UnknownClient_OrAnIpTwoNamespacesClaim_IsAnsweredNormally()
    {
        Assert.Equal(ReturnCode.NxDomain, Ask("web.prod.default.svc.cluster.local", RecordType.A, [10, 9, 9, 9]).ReturnCode);

        _cluster.Apply(TestCluster.Pod("prod", "newcomer", "10.244.1.10")); // the old pod's delete has not arrived yet
        Assert.Equal(ReturnCode.NxDomain, Ask("web.prod.default.svc.cluster.local", RecordType.A, PodInDefault).ReturnCode);

        _cluster.Delete(Cluster.Model.ObjectKind.Pod, "default", "web-7f9c-abcde");
        var asNewcomer = Ask("web.prod.prod.svc.cluster.local", RecordType.A, PodInDefault);
        Assert.Equal("web.prod.svc.cluster.local.", Assert.IsType<CNameRecord>(asNewcomer.AnswerRecords[0]).CanonicalName.ToString());
    }

    [Fact]
    public void Off_NoAutopath()
    {
        var cluster = StandardCluster.Create(new ServerOptions());
        var response = new byte[512];
        var length = cluster.Resolver.Handle(QueryBytes.Build("web.prod.default.svc.cluster.local", 1), response, DnsTransport.Udp, PodInDefault);

        Assert.Equal(ReturnCode.NxDomain, DnsMessage.Parse(response[..length]).ReturnCode);
    }

    [Fact]
    public void AutopathAnswer_AllocatesNothing()
    {
        var query = QueryBytes.Build("web.prod.default.svc.cluster.local", 1);
        var response = new byte[4096];
        _cluster.Resolver.Handle(query, response, DnsTransport.Udp, PodInDefault);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _cluster.Resolver.Handle(query, response, DnsTransport.Udp, PodInDefault);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private DnsMessage Ask(string name, RecordType type, byte[] client)
    {
        var response = new byte[4096];
        var length = _cluster.Resolver.Handle(QueryBytes.Build(name, (ushort)type), response, DnsTransport.Udp, client);
        return DnsMessage.Parse(response[..length]);
    }
}
