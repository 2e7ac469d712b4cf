using ARSoft.Tools.Net.Dns;
using KubeDns.Tests.Support;
using static KubeDns.Tests.Support.TestCluster;

namespace KubeDns.Tests.Resolution;

/// <summary>
/// Endpoint names and endpoint PTRs, which the zone answers from the service node and the endpoint address
/// index rather than from names of their own: every answer those names gave, read back with ARSoft.Tools.Net.
/// </summary>
public sealed class EndpointNameAnswerTests
{
    private readonly TestCluster _cluster = StandardCluster.Create();

    [Theory]
    [InlineData("10-244-1-11.web.default.svc.cluster.local", "10.244.1.11")]
    [InlineData("web-7f9c-abcde.web.default.svc.cluster.local", null)]
    [InlineData("10-244-1-10.web.default.svc.cluster.local", "10.244.1.10")]
    [InlineData("db-1.db.data.svc.cluster.local", "10.244.2.11")]
    [InlineData("10-244-2-11.db.data.svc.cluster.local", null)]
    [InlineData("010-244-1-11.web.default.svc.cluster.local", null)]
    [InlineData("10-244-1-12.web.default.svc.cluster.local", null)]
    [InlineData("x.10-244-1-11.web.default.svc.cluster.local", null)]
    public void EndpointName_AnswersItsAddress_OrIsNxDomain(string name, string? expected)
    {
        // A pod name is no label without endpoint_pod_names, a hostname replaces the dashed address, only the
        // canonical dashed spelling is a name, a not-ready endpoint has none, and nothing exists below one.
        var answer = _cluster.Resolver.Resolve(name, RecordType.A);

        if (expected is null)
        {
            Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
            Assert.Empty(answer.AnswerRecords);
            return;
        }

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.True(answer.IsAuthoritiveAnswer);
        var record = Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords));
        Assert.Equal(expected, record.Address.ToString());
        Assert.Equal(name + ".", record.Name.ToString());
    }

    [Theory]
    [InlineData(RecordType.Aaaa)]
    [InlineData(RecordType.Txt)]
    [InlineData(RecordType.Srv)]
    public void EndpointName_OtherTypes_AreNoDataWithTheZoneSoa(RecordType type)
    {
        var answer = _cluster.Resolver.Resolve("10-244-1-11.web.default.svc.cluster.local", type);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Empty(answer.AnswerRecords);
        Assert.Equal("cluster.local.", Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords)).Name.ToString());
    }

    [Fact]
    public void DualStackEndpointWithHostname_AnswersBothFamiliesAtOneName_AndAPtrForEach()
    {
        _cluster.Apply(
            Headless("data", "kv", Port("client", 2379)),
            Slice("data", "kv-v4", "kv", [EndpointPort("client", 2379)], Endpoint("10.244.5.1", hostname: "kv-0")),
            Slice("data", "kv-v6", "kv", [EndpointPort("client", 2379)], Endpoint("fd00:244::5:1", hostname: "kv-0")));

        var any = _cluster.Resolver.Resolve("kv-0.kv.data.svc.cluster.local", RecordType.Any);
        Assert.Equal(["10.244.5.1", "fd00:244::5:1"], any.AnswerRecords.Select(r => r switch
        {
            ARecord a => a.Address.ToString(),
            AaaaRecord aaaa => aaaa.Address.ToString(),
            _ => r.RecordType.ToString(),
        }).Order());

        Assert.Equal(["kv-0.kv.data.svc.cluster.local."], Ptrs("1.5.244.10.in-addr.arpa"));
        Assert.Equal(
            ["kv-0.kv.data.svc.cluster.local."],
            Ptrs("1.0.0.0.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.0.d.f.ip6.arpa"));
    }

    [Fact]
    public void EndpointThatIsAlsoAClusterIP_HasBothPtrs()
    {
        // A hand-made slice may point at another service's ClusterIP: the reverse name is a zone name and an
        // endpoint address at once.
        _cluster.Apply(
            Service("default", "front", ["10.96.0.40"], Port("http", 80)),
            Slice("default", "front-1", "front", [EndpointPort("http", 80)], Endpoint("10.96.0.20")));

        Assert.Equal(
            ["10-96-0-20.front.default.svc.cluster.local.", "web.default.svc.cluster.local."],
            Ptrs("20.0.96.10.in-addr.arpa"));
        var other = _cluster.Resolver.Resolve("20.0.96.10.in-addr.arpa", RecordType.Txt);
        Assert.Equal(ReturnCode.NoError, other.ReturnCode);
        Assert.Empty(other.AnswerRecords);
    }

    [Theory]
    [InlineData("011.1.244.10.in-addr.arpa")]
    [InlineData("1.244.10.in-addr.arpa")]
    [InlineData("11.11.1.244.10.in-addr.arpa")]
    [InlineData("256.1.244.10.in-addr.arpa")]
    public void ReverseNameNotSpellingAnEndpointAddress_IsNxDomain(string name)
    {
        var answer = _cluster.Resolver.Resolve(name, RecordType.Ptr);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.Equal("in-addr.arpa.", Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords)).Name.ToString());
    }

    [Fact]
    public void TheIp6ArpaNameOfAnIPv4EndpointSpelledIPv4Mapped_IsNxDomain()
    {
        // ::ffff:10.244.1.11: the address index keys both spellings alike, but a query names the one it spells,
        // as in CoreDNS, which compares the spellings.
        Assert.Equal(["10-244-1-11.web.default.svc.cluster.local."], Ptrs("11.1.244.10.in-addr.arpa"));

        var answer = _cluster.Resolver.Resolve("b.0.1.0.4.f.a.0.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa", RecordType.Ptr);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.Equal("ip6.arpa.", Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords)).Name.ToString());
    }

    [Fact]
    public void EndpointLeavingItsService_LosesItsNameAndPtr_AndServiceDelete_LosesAll()
    {
        _cluster.Apply(Slice("default", "web-abc", "web", [EndpointPort("http", 8080)], Endpoint("10.244.1.10"), Endpoint("10.244.1.13")));

        Assert.Equal(ReturnCode.NxDomain, _cluster.Resolver.Resolve("10-244-1-11.web.default.svc.cluster.local", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, _cluster.Resolver.Resolve("11.1.244.10.in-addr.arpa", RecordType.Ptr).ReturnCode);
        Assert.Equal(["10-244-1-13.web.default.svc.cluster.local."], Ptrs("13.1.244.10.in-addr.arpa"));

        _cluster.Delete(Cluster.Model.ObjectKind.Service, "default", "web");

        Assert.Equal(ReturnCode.NxDomain, _cluster.Resolver.Resolve("10-244-1-13.web.default.svc.cluster.local", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, _cluster.Resolver.Resolve("13.1.244.10.in-addr.arpa", RecordType.Ptr).ReturnCode);
    }

    [Fact]
    public void ServiceWithMoreThan65535EndpointAddresses_NamesTheLastOneToo()
    {
        var endpoints = new Cluster.Model.EndpointInfo[70_000];
        for (var i = 0; i < endpoints.Length; i++)
        {
            endpoints[i] = Endpoint($"10.{200 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}");
        }

        _cluster.Apply(
            Service("default", "big", ["10.96.0.50"], Port("http", 80)),
            Slice("default", "big-1", "big", [EndpointPort("http", 80)], endpoints));

        var last = _cluster.Resolver.Resolve("10-201-17-111.big.default.svc.cluster.local", RecordType.A);
        Assert.Equal("10.201.17.111", Assert.IsType<ARecord>(Assert.Single(last.AnswerRecords)).Address.ToString());
        Assert.Equal(["10-201-17-111.big.default.svc.cluster.local."], Ptrs("111.17.201.10.in-addr.arpa"));
    }

    private string[] Ptrs(string name) =>
        [.. _cluster.Resolver.Resolve(name, RecordType.Ptr).AnswerRecords.OfType<PtrRecord>().Select(r => r.PointerDomainName.ToString()).Order()];
}
