namespace KubeDns.Tests.Integration;

/// <summary>The running server on the demo manifests, asked by dig over UDP and TCP.</summary>
[Collection(nameof(DemoServerGroup))]
public sealed class DigTests(DemoServerFixture demo)
{
    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public void ClusterIPService_AnswersOverUdpAndTcp(string transport)
    {
        var output = Dig(transport, "web.default.svc.cluster.local", "A");

        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("flags: qr aa rd;", output, StringComparison.Ordinal);
        Assert.Matches(@"web\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.96\.0\.20", output);
    }

    [Fact]
    public void DualStackService_AnswersAaaa()
    {
        Assert.Equal("fd00:96::30", Short("api.default.svc.cluster.local", "AAAA"));
    }

    [Fact]
    public void NamedPortSrv_HasTargetAndGlue()
    {
        var output = Dig("+notcp", "_http._tcp.web.default.svc.cluster.local", "SRV");

        Assert.Matches(@"IN\s+SRV\s+0 100 80 web\.default\.svc\.cluster\.local\.", output);
        Assert.Matches(@"ADDITIONAL SECTION:\s+web\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.96\.0\.20", output);
    }

    [Fact]
    public void StatefulSetPodName_Resolves()
    {
        Assert.Equal("10.244.2.10", Short("db-0.db.data.svc.cluster.local", "A"));
    }

    [Fact]
    public void ReverseLookup_NamesTheService()
    {
        var output = ExternalCommand.Check("dig", "@127.0.0.1", "-p", demo.Port, "+short", "-x", "10.96.0.20");

        Assert.Equal("web.default.svc.cluster.local.", output.Trim());
    }

    [Fact]
    public void ExternalName_IsCname()
    {
        Assert.Equal("www.example.org.", Short("search.default.svc.cluster.local", "CNAME"));
    }

    [Fact]
    public void MissingService_IsNxDomainWithSoa()
    {
        var output = Dig("+notcp", "nothing.default.svc.cluster.local", "A");

        Assert.Contains("status: NXDOMAIN", output, StringComparison.Ordinal);
        Assert.Matches(@"AUTHORITY SECTION:\s+cluster\.local\.\s+5\s+IN\s+SOA\s+ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\.", output);
    }

    [Fact]
    public void DnsVersion_IsTxt()
    {
        Assert.Equal("\"1.1.0\"", Short("dns-version.cluster.local", "TXT"));
    }

    [Fact]
    public void EdnsQuery_GetsOptBack()
    {
        var output = Dig("+edns=0", "web.default.svc.cluster.local", "A");

        Assert.Contains("; EDNS: version: 0, flags:; udp: 1232", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EdnsVersion1_IsBadVers()
    {
        var output = Dig("+edns=1", "+noednsnegotiation", "web.default.svc.cluster.local", "A");

        Assert.Contains("status: BADVERS", output, StringComparison.Ordinal);
    }

    private string Short(string name, string type) =>
        ExternalCommand.Check("dig", "@127.0.0.1", "-p", demo.Port, "+short", "+tries=1", "+time=2", name, type).Trim();

    private string Dig(params string[] arguments) =>
        ExternalCommand.Check("dig", ["@127.0.0.1", "-p", demo.Port, "+tries=1", "+time=2", .. arguments]);
}
