using ARSoft.Tools.Net.Dns;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Resolution;

public sealed class ServiceAnswerTests
{
    private readonly TestCluster _cluster = StandardCluster.Create();

    [Fact]
    public void ClusterIPService_A_AnswersClusterIPAuthoritatively()
    {
        var answer = _cluster.Resolver.Resolve("web.default.svc.cluster.local", RecordType.A);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.True(answer.IsAuthoritiveAnswer);
        Assert.False(answer.IsRecursionAllowed);
        Assert.True(answer.IsRecursionDesired);
        Assert.Equal(0x1234, answer.TransactionID);
        var record = Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords));
        Assert.Equal("10.96.0.20", record.Address.ToString());
        Assert.Equal(5, record.TimeToLive);
        Assert.Equal("web.default.svc.cluster.local.", record.Name.ToString());
    }

    [Fact]
    public void MixedCaseQuestion_EchoesCaseInQuestionAndOwner()
    {
        var answer = _cluster.Resolver.Resolve("WeB.DeFault.SVC.Cluster.Local", RecordType.A);

        Assert.Equal("WeB.DeFault.SVC.Cluster.Local.", answer.Questions[0].Name.ToString());
        Assert.Equal("WeB.DeFault.SVC.Cluster.Local.", answer.AnswerRecords[0].Name.ToString());
        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
    }

    [Fact]
    public void IPv4Service_AAAA_IsNoDataWithSoa()
    {
        var answer = _cluster.Resolver.Resolve("web.default.svc.cluster.local", RecordType.Aaaa);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Empty(answer.AnswerRecords);
        var soa = Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords));
        Assert.Equal("cluster.local.", soa.Name.ToString());
        Assert.Equal("ns.dns.cluster.local.", soa.MasterName.ToString());
        Assert.Equal("hostmaster.cluster.local.", soa.ResponsibleName.ToString());
        Assert.Equal(5, soa.NegativeCachingTTL);
        Assert.Equal(7200, soa.RefreshInterval);
    }

    [Theory]
    [InlineData(RecordType.A, "10.96.0.30")]
    [InlineData(RecordType.Aaaa, "fd00:96::30")]
    public void DualStackService_AnswersEachFamily(RecordType type, string expected)
    {
        var answer = _cluster.Resolver.Resolve("api.default.svc.cluster.local", type);

        var record = Assert.Single(answer.AnswerRecords);
        Assert.EndsWith(expected, record.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NamedPort_Srv_TargetsServiceWithAddressInAdditional()
    {
        var answer = _cluster.Resolver.Resolve("_https._tcp.web.default.svc.cluster.local", RecordType.Srv);

        var srv = Assert.IsType<SrvRecord>(Assert.Single(answer.AnswerRecords));
        Assert.Equal(0, srv.Priority);
        Assert.Equal(100, srv.Weight);
        Assert.Equal(443, srv.Port);
        Assert.Equal("web.default.svc.cluster.local.", srv.Target.ToString());
        var glue = Assert.IsType<ARecord>(Assert.Single(answer.AdditionalRecords));
        Assert.Equal("web.default.svc.cluster.local.", glue.Name.ToString());
        Assert.Equal("10.96.0.20", glue.Address.ToString());
    }

    [Fact]
    public void PlainSrv_OneRecordPerPortIncludingUnnamed()
    {
        var web = _cluster.Resolver.Resolve("web.default.svc.cluster.local", RecordType.Srv);
        var unnamed = _cluster.Resolver.Resolve("unnamed.default.svc.cluster.local", RecordType.Srv);

        Assert.Equal([80, 443], web.AnswerRecords.OfType<SrvRecord>().Select(r => (int)r.Port).Order());
        Assert.All(web.AnswerRecords.OfType<SrvRecord>(), r => Assert.Equal(50, r.Weight));
        Assert.Equal(8000, Assert.IsType<SrvRecord>(Assert.Single(unnamed.AnswerRecords)).Port);
    }

    [Fact]
    public void ProtocolLabelAlone_IsEmptyNonTerminal_NoData()
    {
        var answer = _cluster.Resolver.Resolve("_tcp.web.default.svc.cluster.local", RecordType.Srv);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Empty(answer.AnswerRecords);
        Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords));
    }

    [Theory]
    [InlineData("_http._udp.web.default.svc.cluster.local")]
    [InlineData("_nope._tcp.web.default.svc.cluster.local")]
    public void UnmatchedPortOrProtocol_IsNxDomain(string name)
    {
        var answer = _cluster.Resolver.Resolve(name, RecordType.Srv);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords));
    }

    [Fact]
    public void ClusterIPService_EndpointsAreNamedByDashedIP()
    {
        var answer = _cluster.Resolver.Resolve("10-244-1-11.web.default.svc.cluster.local", RecordType.A);

        Assert.Equal("10.244.1.11", Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address.ToString());
    }

    [Fact]
    public void NotReadyEndpoint_HasNoName()
    {
        var answer = _cluster.Resolver.Resolve("10-244-1-12.web.default.svc.cluster.local", RecordType.A);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
    }

    [Fact]
    public void ShortNameFromOtherNamespace_ResolvesInItsNamespace()
    {
        var answer = _cluster.Resolver.Resolve("web.prod.svc.cluster.local", RecordType.A);

        Assert.Equal("10.96.1.20", Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address.ToString());
    }

    [Fact]
    public void AnyQuery_ReturnsEveryRecordSetOfTheName()
    {
        var answer = _cluster.Resolver.Resolve("api.default.svc.cluster.local", RecordType.Any);

        Assert.Contains(answer.AnswerRecords, r => r is ARecord);
        Assert.Contains(answer.AnswerRecords, r => r is AaaaRecord);
        Assert.Contains(answer.AnswerRecords, r => r is SrvRecord);
    }
}
