using ARSoft.Tools.Net.Dns;
using KubeDns.Hosting;
using KubeDns.Monitoring;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Monitoring;

/// <summary>The metric labels read from message bytes, with ARSoft.Tools.Net building and reading the messages.</summary>
public sealed class DnsLabelsTests
{
    [Theory]
    [InlineData(RecordType.A, "A")]
    [InlineData(RecordType.Aaaa, "AAAA")]
    [InlineData(RecordType.Srv, "SRV")]
    [InlineData(RecordType.Ptr, "PTR")]
    [InlineData(RecordType.Mx, "MX")]
    [InlineData(RecordType.Https, "HTTPS")]
    [InlineData(RecordType.Any, "ANY")]
    [InlineData(RecordType.Loc, "other")]
    public void TypeIndex_NamesTheQuestionType(RecordType type, string expected) =>
        Assert.Equal(expected, DnsLabels.Types[DnsLabels.TypeIndex(QueryBytes.Build("web.default.svc.cluster.local", (ushort)type))]);

    [Theory]
    [InlineData(new byte[] { 0, 1, 0, 0 })] // shorter than a header
    [InlineData(new byte[] { 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })] // no question
    [InlineData(new byte[] { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, (byte)'w', (byte)'e' })] // name cut short
    public void TypeIndex_UnreadableQuestion_IsOther(byte[] query) =>
        Assert.Equal("other", DnsLabels.Types[DnsLabels.TypeIndex(query)]);

    [Theory]
    [InlineData("web.default.svc.cluster.local", 0, "NOERROR")]
    [InlineData("nothing.default.svc.cluster.local", 0, "NXDOMAIN")]
    [InlineData("example.org", 0, "REFUSED")]
    [InlineData("web.default.svc.cluster.local", 1, "BADVERS")] // EDNS version 1: the code's upper bits are in OPT
    public void RcodeIndex_OfOurResponses_MatchesTheOracle(string name, int ednsVersion, string expected)
    {
        var cluster = StandardCluster.Create(new ServerOptions());
        var query = QueryBytes.Build(name, (ushort)RecordType.A, ednsSize: 1232, ednsVersion: (byte)ednsVersion);
        var response = new byte[65535];

        var length = cluster.Resolver.Handle(query, response, KubeDns.Resolution.DnsTransport.Udp);
        var oracle = DnsMessage.Parse(response[..length]);

        Assert.Equal(expected, DnsLabels.Rcodes[DnsLabels.RcodeIndex(response.AsSpan(0, length))]);
        Assert.Equal(expected, oracle.ReturnCode switch
        {
            ReturnCode.NoError => "NOERROR",
            ReturnCode.NxDomain => "NXDOMAIN",
            ReturnCode.Refused => "REFUSED",
            ReturnCode.BadVersion => "BADVERS",
            _ => oracle.ReturnCode.ToString(),
        });
    }
}
