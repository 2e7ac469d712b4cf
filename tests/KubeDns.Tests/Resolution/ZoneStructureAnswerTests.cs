using ARSoft.Tools.Net.Dns;
using KubeDns.Hosting;
using KubeDns.Cluster.Model;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Resolution;

/// <summary>The apex, the fixed names, and the NXDOMAIN/NODATA line (../shared/reference/k8s-dns.md).</summary>
public sealed class ZoneStructureAnswerTests
{
    private readonly TestCluster _cluster = StandardCluster.Create();

    [Fact]
    public void DnsVersion_IsTxt110WithLongTtl()
    {
        var answer = _cluster.Resolver.Resolve("dns-version.cluster.local", RecordType.Txt);

        var txt = Assert.IsType<TxtRecord>(Assert.Single(answer.AnswerRecords));
        Assert.Equal("1.1.0", txt.TextData);
        Assert.Equal(28800, txt.TimeToLive);
    }

    [Fact]
    public void Apex_Soa_SerialMovesWithChanges()
    {
        var before = Assert.IsType<SoaRecord>(Assert.Single(_cluster.Resolver.Resolve("cluster.local", RecordType.Soa).AnswerRecords));
        _cluster.Apply(TestCluster.Service("default", "new", ["10.96.9.9"]));
        var after = Assert.IsType<SoaRecord>(Assert.Single(_cluster.Resolver.Resolve("cluster.local", RecordType.Soa).AnswerRecords));

        Assert.True(after.SerialNumber > before.SerialNumber);
        Assert.Equal("ns.dns.cluster.local.", after.MasterName.ToString());
    }

    [Fact]
    public void Apex_Ns_NamesTheClusterNameServer()
    {
        var answer = _cluster.Resolver.Resolve("cluster.local", RecordType.Ns);

        Assert.Equal("ns.dns.cluster.local.", Assert.IsType<NsRecord>(Assert.Single(answer.AnswerRecords)).NameServer.ToString());
    }

    [Fact]
    public void NameServerName_AnswersKubeDnsServiceAddress()
    {
        _cluster.Apply(TestCluster.Service("kube-system", "kube-dns", ["10.96.0.10"], TestCluster.Port("dns", 53, "UDP")));

        var answer = _cluster.Resolver.Resolve("ns.dns.cluster.local", RecordType.A);

        Assert.Equal("10.96.0.10", Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address.ToString());
    }

    [Theory]
    [InlineData("cluster.local", RecordType.A)]
    [InlineData("svc.cluster.local", RecordType.A)]
    [InlineData("pod.cluster.local", RecordType.A)]
    [InlineData("default.svc.cluster.local", RecordType.A)]
    [InlineData("data.svc.cluster.local", RecordType.Srv)]
    [InlineData("web.default.svc.cluster.local", RecordType.Mx)]
    [InlineData("web.default.svc.cluster.local", RecordType.Txt)]
    public void ExistingNameWithoutType_IsNoData(string name, RecordType type)
    {
        var answer = _cluster.Resolver.Resolve(name, type);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Empty(answer.AnswerRecords);
        Assert.Equal("cluster.local.", Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords)).Name.ToString());
        Assert.True(answer.IsAuthoritiveAnswer);
    }

    [Theory]
    [InlineData("nothing.default.svc.cluster.local")]
    [InlineData("web.nowhere.svc.cluster.local")]
    [InlineData("nowhere.svc.cluster.local")]
    [InlineData("foo.cluster.local")]
    [InlineData("x.db-0.db.data.svc.cluster.local")]
    [InlineData("a.b.c.d.e.svc.cluster.local")]
    [InlineData("web.default.svc.cluster.local.default.svc.cluster.local")]
    [InlineData("web.prod.svc.cluster.local")]
    public void MissingName_IsNxDomainWithSoa(string name)
    {
        if (name == "web.prod.svc.cluster.local")
        {
            _cluster.Delete(ObjectKind.Service, "prod", "web");
        }

        var answer = _cluster.Resolver.Resolve(name, RecordType.A);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
        Assert.True(answer.IsAuthoritiveAnswer);
        Assert.Equal("cluster.local.", Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords)).Name.ToString());
    }

    [Fact]
    public void NameOutsideOurZones_IsRefusedWithoutAuthority()
    {
        var answer = _cluster.Resolver.Resolve("www.example.org", RecordType.A);

        Assert.Equal(ReturnCode.Refused, answer.ReturnCode);
        Assert.False(answer.IsAuthoritiveAnswer);
    }

    [Fact]
    public void BeforeSync_MissingNameIsServFail_ButExistingNamesAnswer()
    {
        var cluster = StandardCluster.Create(synced: false);

        Assert.Equal(ReturnCode.ServerFailure, cluster.Resolver.Resolve("nothing.default.svc.cluster.local", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NoError, cluster.Resolver.Resolve("web.default.svc.cluster.local", RecordType.A).ReturnCode);

        cluster.Sync.MarkSynced("test");
        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("nothing.default.svc.cluster.local", RecordType.A).ReturnCode);
    }

    [Fact]
    public void CustomClusterDomain_ServesThatZoneOnly()
    {
        var cluster = StandardCluster.Create(new ServerOptions { ClusterDomain = "corp.example" });

        Assert.Equal(ReturnCode.NoError, cluster.Resolver.Resolve("web.default.svc.corp.example", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.Refused, cluster.Resolver.Resolve("web.default.svc.cluster.local", RecordType.A).ReturnCode);
    }

    [Fact]
    public void ReferencedNamespaceWithoutDeclaration_Exists()
    {
        var answer = _cluster.Resolver.Resolve("data.svc.cluster.local", RecordType.A);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
    }

    [Fact]
    public void NamespaceDeclaredThenDeleted_DisappearsWhenNothingRefersToIt()
    {
        _cluster.Apply(new NamespaceInfo("empty"));
        Assert.Equal(ReturnCode.NoError, _cluster.Resolver.Resolve("empty.svc.cluster.local", RecordType.A).ReturnCode);

        _cluster.Delete(ObjectKind.Namespace, string.Empty, "empty");

        Assert.Equal(ReturnCode.NxDomain, _cluster.Resolver.Resolve("empty.svc.cluster.local", RecordType.A).ReturnCode);
    }
}
