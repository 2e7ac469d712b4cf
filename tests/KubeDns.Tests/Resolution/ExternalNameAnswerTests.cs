using ARSoft.Tools.Net.Dns;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Resolution;

public sealed class ExternalNameAnswerTests
{
    private readonly TestCluster _cluster = StandardCluster.Create();

    [Fact]
    public void OutsideTarget_AnswersTheCnameAlone()
    {
        var answer = _cluster.Resolver.Resolve("search.default.svc.cluster.local", RecordType.A);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        var cname = Assert.IsType<CNameRecord>(Assert.Single(answer.AnswerRecords));
        Assert.Equal("www.example.org.", cname.CanonicalName.ToString());
    }

    [Fact]
    public void InZoneTarget_AppendsTheTargetsRecords()
    {
        var answer = _cluster.Resolver.Resolve("web-alias.default.svc.cluster.local", RecordType.A);

        Assert.Equal(2, answer.AnswerRecords.Count);
        Assert.Equal("web.prod.svc.cluster.local.", Assert.IsType<CNameRecord>(answer.AnswerRecords[0]).CanonicalName.ToString());
        var target = Assert.IsType<ARecord>(answer.AnswerRecords[1]);
        Assert.Equal("web.prod.svc.cluster.local.", target.Name.ToString());
        Assert.Equal("10.96.1.20", target.Address.ToString());
    }

    [Fact]
    public void InZoneTargetMissing_IsNxDomainAfterTheCname()
    {
        var answer = _cluster.Resolver.Resolve("dangling.default.svc.cluster.local", RecordType.A);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.IsType<CNameRecord>(Assert.Single(answer.AnswerRecords));
    }

    [Fact]
    public void CnameQuery_AnswersOnlyTheCname()
    {
        var answer = _cluster.Resolver.Resolve("web-alias.default.svc.cluster.local", RecordType.CName);

        Assert.IsType<CNameRecord>(Assert.Single(answer.AnswerRecords));
    }

    [Fact]
    public void CnameLoop_EndsWithServFail()
    {
        _cluster.Apply(
            TestCluster.ExternalName("default", "loop-a", "loop-b.default.svc.cluster.local"),
            TestCluster.ExternalName("default", "loop-b", "loop-a.default.svc.cluster.local"));

        var answer = _cluster.Resolver.Resolve("loop-a.default.svc.cluster.local", RecordType.A);

        Assert.Equal(ReturnCode.ServerFailure, answer.ReturnCode);
    }
}
