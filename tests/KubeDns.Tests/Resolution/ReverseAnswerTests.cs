using ARSoft.Tools.Net.Dns;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Resolution;

public sealed class ReverseAnswerTests
{
    private readonly TestCluster _cluster = StandardCluster.Create();

    [Theory]
    [InlineData("20.0.96.10.in-addr.arpa", "web.default.svc.cluster.local.")]
    [InlineData("0.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.0.d.f.ip6.arpa", "api.default.svc.cluster.local.")]
    [InlineData("10.2.244.10.in-addr.arpa", "db-0.db.data.svc.cluster.local.")]
    [InlineData("11.1.244.10.in-addr.arpa", "10-244-1-11.web.default.svc.cluster.local.")]
    public void Ptr_NamesTheServiceOrEndpoint(string name, string expected)
    {
        var answer = _cluster.Resolver.Resolve(name, RecordType.Ptr);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.True(answer.IsAuthoritiveAnswer);
        Assert.Equal(expected, Assert.IsType<PtrRecord>(Assert.Single(answer.AnswerRecords)).PointerDomainName.ToString());
    }

    [Fact]
    public void EndpointOfTwoServices_HasOnePtrPerService()
    {
        _cluster.Apply(
            TestCluster.Service("default", "web-canary", ["10.96.0.21"], TestCluster.Port("http", 80)),
            TestCluster.Slice("default", "web-canary-1", "web-canary", [TestCluster.EndpointPort("http", 8080)], TestCluster.Endpoint("10.244.1.11")));

        var answer = _cluster.Resolver.Resolve("11.1.244.10.in-addr.arpa", RecordType.Ptr);

        Assert.Equal(
            ["10-244-1-11.web-canary.default.svc.cluster.local.", "10-244-1-11.web.default.svc.cluster.local."],
            answer.AnswerRecords.OfType<PtrRecord>().Select(r => r.PointerDomainName.ToString()).Order());
    }

    [Fact]
    public void EndpointOfTwoServices_ChangingOne_KeepsTheOthersPtr()
    {
        // The builder keeps no records per contributor: re-encoding the shared PTR name recomputes the other
        // service's records from its stripped objects.
        _cluster.Apply(
            TestCluster.Service("default", "web-canary", ["10.96.0.21"], TestCluster.Port("http", 80)),
            TestCluster.Slice("default", "web-canary-1", "web-canary", [TestCluster.EndpointPort("http", 8080)], TestCluster.Endpoint("10.244.1.11")));

        _cluster.Apply(TestCluster.Slice("default", "web-canary-1", "web-canary", [TestCluster.EndpointPort("http", 8080)], TestCluster.Endpoint("10.244.1.12")));
        Assert.Equal(
            ["10-244-1-11.web.default.svc.cluster.local."],
            Ptrs("11.1.244.10.in-addr.arpa"));
        Assert.Equal(
            ["10-244-1-12.web-canary.default.svc.cluster.local."],
            Ptrs("12.1.244.10.in-addr.arpa"));

        _cluster.Apply(TestCluster.Slice("default", "web-canary-1", "web-canary", [TestCluster.EndpointPort("http", 8080)], TestCluster.Endpoint("10.244.1.11")));
        _cluster.Delete(Cluster.Model.ObjectKind.Service, "default", "web");
        Assert.Equal(
            ["10-244-1-11.web-canary.default.svc.cluster.local."],
            Ptrs("11.1.244.10.in-addr.arpa"));
    }

    private string[] Ptrs(string name) =>
        [.. _cluster.Resolver.Resolve(name, RecordType.Ptr).AnswerRecords.OfType<PtrRecord>().Select(r => r.PointerDomainName.ToString()).Order()];

    [Fact]
    public void UnknownAddress_IsNxDomainWithReverseZoneSoa()
    {
        var answer = _cluster.Resolver.Resolve("8.8.8.8.in-addr.arpa", RecordType.Ptr);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.Equal("in-addr.arpa.", Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords)).Name.ToString());
    }

    [Fact]
    public void DeletedService_LosesItsPtr()
    {
        _cluster.Delete(Cluster.Model.ObjectKind.Service, "prod", "web");

        var answer = _cluster.Resolver.Resolve("20.1.96.10.in-addr.arpa", RecordType.Ptr);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
    }
}
