using System.Net;
using ARSoft.Tools.Net.Dns;
using KubeDns.Hosting;
using KubeDns.Resolution;
using KubeDns.Tests.Support;
using static KubeDns.Tests.Support.TestCluster;

namespace KubeDns.Tests.Resolution;

/// <summary>
/// SRV answers written from a service node's ports and endpoint names when queried (no stored records, and
/// no nodes at the port names): each target named once however many slices hold its addresses, the port names
/// existing exactly where a named port is, and reached by autopath like any other name. Read back with
/// ARSoft.Tools.Net.
/// </summary>
public sealed class SrvFromPortsAnswerTests
{
    [Fact]
    public void DualStackEndpointsInInterleavedSlices_AreOneTargetEach_WithBothAddressesAsTheirGlue()
    {
        var cluster = new TestCluster().Apply(
            Headless("data", "ds", Port("http", 80)),
            Slice("data", "ds-4", "ds", [EndpointPort("http", 80)], Endpoint("10.244.7.1", hostname: "a"), Endpoint("10.244.7.2", hostname: "b")),
            Slice("data", "ds-6", "ds", [EndpointPort("http", 80)], Endpoint("fd00::7:1", hostname: "a"), Endpoint("fd00::7:2", hostname: "b")));

        foreach (var name in (string[])["ds.data.svc.cluster.local", "_http._tcp.ds.data.svc.cluster.local"])
        {
            var answer = cluster.Resolver.Resolve(name, RecordType.Srv);

            var srv = answer.AnswerRecords.OfType<SrvRecord>().ToArray();
            Assert.Equal(["a.ds.data.svc.cluster.local.", "b.ds.data.svc.cluster.local."], srv.Select(r => r.Target.ToString()).Order());
            Assert.All(srv, r => Assert.Equal(50, r.Weight));
            Assert.Equal(
                ["a.ds.data.svc.cluster.local. 10.244.7.1", "a.ds.data.svc.cluster.local. fd00::7:1", "b.ds.data.svc.cluster.local. 10.244.7.2", "b.ds.data.svc.cluster.local. fd00::7:2"],
                answer.AdditionalRecords.Select(Glue).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void AnEndpointWhoseSlicesListDifferentPorts_AnswersEachPortOnce_UnderItsOwnName()
    {
        var cluster = new TestCluster().Apply(
            Headless("data", "mixed", Port("http", 80), Port("admin", 9000)),
            Slice("data", "mixed-4", "mixed", [EndpointPort("http", 80)], Endpoint("10.244.8.1", hostname: "a")),
            Slice("data", "mixed-6", "mixed", [EndpointPort("http", 80), EndpointPort("admin", 9000)], Endpoint("fd00::8:1", hostname: "a")));

        var plain = cluster.Resolver.Resolve("mixed.data.svc.cluster.local", RecordType.Srv);
        var admin = cluster.Resolver.Resolve("_admin._tcp.mixed.data.svc.cluster.local", RecordType.Srv);

        Assert.Equal([80, 9000], plain.AnswerRecords.OfType<SrvRecord>().Select(r => (int)r.Port).Order());
        Assert.All(plain.AnswerRecords.OfType<SrvRecord>(), r => Assert.Equal(50, r.Weight));
        Assert.Equal(2, plain.AdditionalRecords.Count); // The target's two addresses, once each.
        Assert.Equal(9000, Assert.IsType<SrvRecord>(Assert.Single(admin.AnswerRecords)).Port);
    }

    [Theory]
    [InlineData("_tcp.db.data.svc.cluster.local", RecordType.A, ReturnCode.NoError)]
    [InlineData("_tcp.db.data.svc.cluster.local", RecordType.Srv, ReturnCode.NoError)]
    [InlineData("_postgres._tcp.db.data.svc.cluster.local", RecordType.A, ReturnCode.NoError)]
    [InlineData("_udp.db.data.svc.cluster.local", RecordType.Srv, ReturnCode.NxDomain)]
    [InlineData("_postgres._udp.db.data.svc.cluster.local", RecordType.Srv, ReturnCode.NxDomain)]
    [InlineData("_http._tcp.db.data.svc.cluster.local", RecordType.Srv, ReturnCode.NxDomain)]
    [InlineData("_postgres._tcp.nothing.data.svc.cluster.local", RecordType.Srv, ReturnCode.NxDomain)]
    [InlineData("_postgres._tcp.cold.data.svc.cluster.local", RecordType.Srv, ReturnCode.NxDomain)]
    public void PortNamesWithoutTheirType_AreNoData_AndOnlyNamedPortsExist(string name, RecordType type, ReturnCode expected)
    {
        var answer = StandardCluster.Create().Resolver.Resolve(name, type);

        Assert.Equal(expected, answer.ReturnCode);
        Assert.Empty(answer.AnswerRecords);
        Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords));
    }

    [Fact]
    public void AnyAtAPortName_IsItsSrvWithGlue()
    {
        var answer = StandardCluster.Create().Resolver.Resolve("_https._tcp.web.default.svc.cluster.local", RecordType.Any);

        var srv = Assert.IsType<SrvRecord>(Assert.Single(answer.AnswerRecords));
        Assert.Equal(443, srv.Port);
        Assert.Equal("web.default.svc.cluster.local. 10.96.0.20", Glue(Assert.Single(answer.AdditionalRecords)));
    }

    [Fact]
    public void Autopath_FindsAPortNameInAnotherNamespace()
    {
        var cluster = StandardCluster.Create(new ServerOptions { Autopath = true });
        var response = new byte[4096];
        var length = cluster.Resolver.Handle(
            QueryBytes.Build("_postgres._tcp.db.data.default.svc.cluster.local", (ushort)RecordType.Srv), response, DnsTransport.Udp,
            IPAddress.Parse("10.244.1.10").GetAddressBytes());
        var answer = DnsMessage.Parse(response[..length]);

        Assert.Equal("_postgres._tcp.db.data.svc.cluster.local.", Assert.IsType<CNameRecord>(answer.AnswerRecords[0]).CanonicalName.ToString());
        Assert.Equal(2, answer.AnswerRecords.OfType<SrvRecord>().Count());
        Assert.Equal(2, answer.AdditionalRecords.OfType<ARecord>().Count());
    }

    private static string Glue(DnsRecordBase record) => record switch
    {
        ARecord a => $"{a.Name} {a.Address}",
        AaaaRecord aaaa => $"{aaaa.Name} {aaaa.Address}",
        _ => record.ToString(),
    };
}
