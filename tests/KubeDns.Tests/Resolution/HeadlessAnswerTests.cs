using ARSoft.Tools.Net.Dns;
using KubeDns.Hosting;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Resolution;

public sealed class HeadlessAnswerTests
{
    private readonly TestCluster _cluster = StandardCluster.Create();

    [Fact]
    public void HeadlessService_A_AnswersReadyEndpointsOnly()
    {
        var answer = _cluster.Resolver.Resolve("db.data.svc.cluster.local", RecordType.A);

        Assert.Equal(["10.244.2.10", "10.244.2.11"], answer.AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order());
    }

    [Fact]
    public void HeadlessServiceWithoutReadyEndpoints_IsNxDomain()
    {
        var answer = _cluster.Resolver.Resolve("cold.data.svc.cluster.local", RecordType.A);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords));
    }

    [Fact]
    public void EndpointHostname_AnswersItsAddress()
    {
        var answer = _cluster.Resolver.Resolve("db-1.db.data.svc.cluster.local", RecordType.A);

        Assert.Equal("10.244.2.11", Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address.ToString());
    }

    [Fact]
    public void HeadlessNamedPort_Srv_OnePerReadyEndpointWithAddressesInAdditional()
    {
        var answer = _cluster.Resolver.Resolve("_postgres._tcp.db.data.svc.cluster.local", RecordType.Srv);

        var srv = answer.AnswerRecords.OfType<SrvRecord>().OrderBy(r => r.Target.ToString()).ToArray();
        Assert.Equal(["db-0.db.data.svc.cluster.local.", "db-1.db.data.svc.cluster.local."], srv.Select(r => r.Target.ToString()));
        Assert.All(srv, r => Assert.Equal(5432, r.Port));
        Assert.All(srv, r => Assert.Equal(50, r.Weight));
        Assert.Equal(
            ["db-0.db.data.svc.cluster.local. 10.244.2.10", "db-1.db.data.svc.cluster.local. 10.244.2.11"],
            answer.AdditionalRecords.OfType<ARecord>().Select(r => $"{r.Name} {r.Address}").Order());
    }

    [Fact]
    public void SameAddressInTwoSlices_IsAnsweredOnce()
    {
        _cluster.Apply(TestCluster.Slice("data", "db-2", "db", [TestCluster.EndpointPort("postgres", 5432)], TestCluster.Endpoint("10.244.2.10", hostname: "db-0")));

        var answer = _cluster.Resolver.Resolve("db.data.svc.cluster.local", RecordType.A);

        Assert.Equal(2, answer.AnswerRecords.Count);
    }

    [Fact]
    public void EndpointPodNames_NamesEndpointsAfterTheirPod()
    {
        var cluster = StandardCluster.Create(new ServerOptions { EndpointPodNames = true });

        var byPod = cluster.Resolver.Resolve("web-7f9c-abcde.web.default.svc.cluster.local", RecordType.A);
        var byIp = cluster.Resolver.Resolve("10-244-1-11.web.default.svc.cluster.local", RecordType.A);

        Assert.Equal("10.244.1.10", Assert.IsType<ARecord>(Assert.Single(byPod.AnswerRecords)).Address.ToString());
        Assert.Equal(ReturnCode.NoError, byIp.ReturnCode); // No pod name known: falls back to the dashed IP.
    }

    [Fact]
    public void SliceUpdate_ChangesAnswers()
    {
        _cluster.Apply(TestCluster.Slice("data", "cold-1", "cold", [TestCluster.EndpointPort("postgres", 5432)], TestCluster.Endpoint("10.244.3.10")));

        var answer = _cluster.Resolver.Resolve("cold.data.svc.cluster.local", RecordType.A);

        Assert.Equal("10.244.3.10", Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address.ToString());
    }
}
