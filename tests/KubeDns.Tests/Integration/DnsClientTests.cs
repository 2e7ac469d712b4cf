using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace KubeDns.Tests.Integration;

/// <summary>The running server asked by DnsClient.NET, an independent client library, over UDP and TCP.</summary>
[Collection(nameof(DemoServerGroup))]
public sealed class DnsClientTests(DemoServerFixture demo)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HeadlessService_AnswersReadyPodsOverBothTransports(bool tcp)
    {
        var client = Client(tcp);

        var result = await client.QueryAsync("db.data.svc.cluster.local", QueryType.A);

        Assert.False(result.HasError, result.ErrorMessage);
        Assert.Equal(["10.244.2.10", "10.244.2.11"], result.Answers.ARecords().Select(r => r.Address.ToString()).Order());
        Assert.True(result.Header.HasAuthorityAnswer);
    }

    [Fact]
    public async Task InZoneExternalName_FollowsTheCname()
    {
        var result = await Client(tcp: false).QueryAsync("web-alias.default.svc.cluster.local", QueryType.A);

        Assert.Single(result.Answers.CnameRecords());
        Assert.Equal("10.96.1.20", Assert.Single(result.Answers.ARecords()).Address.ToString());
    }

    [Fact]
    public async Task HeadlessSrv_ListsEachPod()
    {
        var result = await Client(tcp: true).QueryAsync("_postgres._tcp.db.data.svc.cluster.local", QueryType.SRV);

        Assert.Equal(
            ["db-0.db.data.svc.cluster.local.", "db-1.db.data.svc.cluster.local."],
            result.Answers.SrvRecords().Select(r => r.Target.Value).Order());
        Assert.Equal(2, result.Additionals.OfType<ARecord>().Count());
    }

    [Fact]
    public async Task PodName_ResolvesInInsecureMode()
    {
        var result = await Client(tcp: false).QueryAsync("10-244-1-10.default.pod.cluster.local", QueryType.A);

        Assert.Equal("10.244.1.10", Assert.Single(result.Answers.ARecords()).Address.ToString());
    }

    private LookupClient Client(bool tcp) => new(new LookupClientOptions(new NameServer(IPAddress.Loopback, demo.Server.Port))
    {
        UseCache = false,
        Retries = 0,
        Timeout = TimeSpan.FromSeconds(3),
        UseTcpOnly = tcp,
        ThrowDnsErrors = false,
        ContinueOnDnsError = false,
    });
}
