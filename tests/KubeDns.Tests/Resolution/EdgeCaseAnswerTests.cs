using ARSoft.Tools.Net.Dns;
using KubeDns.Tests.Support;
using static KubeDns.Tests.Support.TestCluster;

namespace KubeDns.Tests.Resolution;

/// <summary>Shapes that broke earlier versions: shared port numbers, dual-stack glue, CNAMEs to pod names, loops.</summary>
public sealed class EdgeCaseAnswerTests
{
    [Fact]
    public void HeadlessPortsSharingANumber_EachNamedPortAnswers()
    {
        var cluster = new TestCluster().Apply(
            Headless("data", "hdns", Port("dns", 53, "UDP"), Port("dns-tcp", 53, "TCP")),
            Slice("data", "hdns-1", "hdns", [EndpointPort("dns", 53, "UDP"), EndpointPort("dns-tcp", 53, "TCP")], Endpoint("10.244.5.1", hostname: "p0")));

        var udp = cluster.Resolver.Resolve("_dns._udp.hdns.data.svc.cluster.local", RecordType.Srv);
        var tcp = cluster.Resolver.Resolve("_dns-tcp._tcp.hdns.data.svc.cluster.local", RecordType.Srv);
        var plain = cluster.Resolver.Resolve("hdns.data.svc.cluster.local", RecordType.Srv);

        Assert.Equal(53, Assert.IsType<SrvRecord>(Assert.Single(udp.AnswerRecords)).Port);
        Assert.Equal(53, Assert.IsType<SrvRecord>(Assert.Single(tcp.AnswerRecords)).Port);
        Assert.Equal(100, Assert.IsType<SrvRecord>(Assert.Single(plain.AnswerRecords)).Weight);
    }

    [Fact]
    public void ClusterIPPortsSharingANumber_PlainSrvIsOneRecordWithFullWeight()
    {
        var cluster = new TestCluster().Apply(
            Service("kube-system", "kube-dns", ["10.96.0.10"], Port("dns", 53, "UDP"), Port("dns-tcp", 53, "TCP"), Port("metrics", 9153)));

        var answer = cluster.Resolver.Resolve("kube-dns.kube-system.svc.cluster.local", RecordType.Srv);

        Assert.Equal([53, 9153], answer.AnswerRecords.OfType<SrvRecord>().Select(r => (int)r.Port).Order());
        Assert.All(answer.AnswerRecords.OfType<SrvRecord>(), r => Assert.Equal(50, r.Weight));
    }

    [Fact]
    public void DualStackHeadlessEndpoint_NamedPortGlueCarriesBothAddresses()
    {
        var cluster = new TestCluster().Apply(
            Headless("data", "ds", Port("http", 80)),
            Slice("data", "ds-4", "ds", [EndpointPort("http", 80)], Endpoint("10.244.7.1", hostname: "p0")),
            Slice("data", "ds-6", "ds", [EndpointPort("http", 80)], Endpoint("fd00::7:1", hostname: "p0")));

        var answer = cluster.Resolver.Resolve("_http._tcp.ds.data.svc.cluster.local", RecordType.Srv);

        Assert.Single(answer.AnswerRecords);
        Assert.Single(answer.AdditionalRecords.OfType<ARecord>());
        Assert.Single(answer.AdditionalRecords.OfType<AaaaRecord>());
    }

    [Fact]
    public void CnameToPodName_AnswersThePodAddress()
    {
        var cluster = StandardCluster.Create().Apply(ExternalName("default", "topod", "10-244-1-10.default.pod.cluster.local"));

        var answer = cluster.Resolver.Resolve("topod.default.svc.cluster.local", RecordType.A);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        var address = Assert.IsType<ARecord>(answer.AnswerRecords[1]);
        Assert.Equal("10-244-1-10.default.pod.cluster.local.", address.Name.ToString());
        Assert.Equal("10.244.1.10", address.Address.ToString());
    }

    [Fact]
    public void CnameLoop_IsServFailWithNoRecords()
    {
        var cluster = new TestCluster().Apply(
            ExternalName("default", "loop1", "loop2.default.svc.cluster.local"),
            ExternalName("default", "loop2", "loop1.default.svc.cluster.local"));

        var answer = cluster.Resolver.Resolve("loop1.default.svc.cluster.local", RecordType.A);

        Assert.Equal(ReturnCode.ServerFailure, answer.ReturnCode);
        Assert.Empty(answer.AnswerRecords);
        Assert.Empty(answer.AuthorityRecords);
    }

    [Fact]
    public void AnyQueryOnServiceWithSrv_KeepsGlueAfterAllAnswers()
    {
        var answer = StandardCluster.Create().Resolver.Resolve("web.default.svc.cluster.local", RecordType.Any);

        Assert.Contains(answer.AnswerRecords, r => r is ARecord);
        Assert.Contains(answer.AnswerRecords, r => r is SrvRecord);
        Assert.NotEmpty(answer.AdditionalRecords);
    }
}
