using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using KubeDns.Cluster.Model;
using KubeDns.Resolution;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Resolution;

/// <summary>Message-level rules: EDNS, truncation, error codes for bad or unsupported queries.</summary>
public sealed class ProtocolRuleTests
{
    private readonly TestCluster _cluster = StandardCluster.Create();

    [Fact]
    public void EdnsQuery_EchoesOptWithCappedPayloadAndDoBit()
    {
        var answer = _cluster.Resolver.Resolve(QueryBytes.Build("web.default.svc.cluster.local", 1, ednsSize: 4096, dnssecOk: true));

        Assert.True(answer.IsEDnsEnabled);
        Assert.Equal(1232, answer.EDnsOptions!.UdpPayloadSize);
        Assert.Equal(0, answer.EDnsOptions.Version);
        Assert.True(answer.EDnsOptions.IsDnsSecOk);
        Assert.Single(answer.AnswerRecords);
    }

    [Fact]
    public void QueryWithoutEdns_GetsNoOpt()
    {
        var answer = _cluster.Resolver.Resolve("web.default.svc.cluster.local", RecordType.A);

        Assert.False(answer.IsEDnsEnabled);
    }

    [Fact]
    public void EdnsVersion1_IsBadVers()
    {
        var answer = _cluster.Resolver.Resolve(QueryBytes.Build("web.default.svc.cluster.local", 1, ednsSize: 1232, ednsVersion: 1));

        Assert.Equal(ReturnCode.BadVersion, answer.ReturnCode);
        Assert.Empty(answer.AnswerRecords);
        Assert.Equal(0, answer.EDnsOptions!.Version);
    }

    [Fact]
    public void LargeAnswerOverUdpWithoutEdns_IsTruncatedTo512()
    {
        var cluster = WithManyEndpoints(60);

        var bytes = cluster.Resolver.ResolveBytes(QueryBytes.Build("big.default.svc.cluster.local", 1));
        var answer = DnsMessage.Parse(bytes);

        Assert.True(bytes.Length <= 512);
        Assert.True(answer.IsTruncated);
        Assert.InRange(answer.AnswerRecords.Count, 1, 59);
    }

    [Fact]
    public void LargeAnswerOverUdpWithEdns_UsesTheClientsSizeUpToTheCap()
    {
        var cluster = WithManyEndpoints(60);

        var bytes = cluster.Resolver.ResolveBytes(QueryBytes.Build("big.default.svc.cluster.local", 1, ednsSize: 1232));
        var answer = DnsMessage.Parse(bytes);

        Assert.False(answer.IsTruncated);
        Assert.Equal(60, answer.AnswerRecords.Count);
        Assert.True(bytes.Length <= 1232);
    }

    [Fact]
    public void LargeAnswerOverTcp_IsComplete()
    {
        var cluster = WithManyEndpoints(300);

        var answer = cluster.Resolver.Resolve(QueryBytes.Build("big.default.svc.cluster.local", 1), DnsTransport.Tcp);

        Assert.False(answer.IsTruncated);
        Assert.Equal(300, answer.AnswerRecords.Count);
    }

    [Fact]
    public void TruncatedEdnsAnswer_StillCarriesOpt()
    {
        var cluster = WithManyEndpoints(300);

        var answer = cluster.Resolver.Resolve(QueryBytes.Build("big.default.svc.cluster.local", 1, ednsSize: 1232));

        Assert.True(answer.IsTruncated);
        Assert.True(answer.IsEDnsEnabled);
    }

    [Fact]
    public void QueryLargerThan512Bytes_IsAnswered()
    {
        var query = QueryBytes.Build("web.default.svc.cluster.local", 1, ednsSize: 1232, ednsPadding: 700);
        Assert.True(query.Length > 512);

        var answer = _cluster.Resolver.Resolve(query);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Single(answer.AnswerRecords);
    }

    [Theory]
    [InlineData(252)]
    [InlineData(251)]
    public void ZoneTransfer_IsRefused(ushort type)
    {
        var answer = _cluster.Resolver.Resolve(QueryBytes.Build("cluster.local", type));

        Assert.Equal(ReturnCode.Refused, answer.ReturnCode);
    }

    [Fact]
    public void ChaosClass_IsRefused()
    {
        var answer = _cluster.Resolver.Resolve(QueryBytes.Build("version.bind", 16, qclass: 3));

        Assert.Equal(ReturnCode.Refused, answer.ReturnCode);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public void OpcodeOtherThanQuery_IsNotImp(int opcode)
    {
        var bytes = _cluster.Resolver.ResolveBytes(QueryBytes.Build("web.default.svc.cluster.local", 1, id: 77, opcode: opcode));

        Assert.Equal(77, BinaryPrimitives.ReadUInt16BigEndian(bytes));
        Assert.Equal(4, bytes[3] & 0xF);
        Assert.Equal(opcode, (bytes[2] >> 3) & 0xF);
        Assert.Equal(0x80, bytes[2] & 0x80);
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "no question", Header(qdcount: 0) },
        { "two questions", [.. Header(qdcount: 2), .. QueryBytes.EncodeName("a.b"), 0, 1, 0, 1, .. QueryBytes.EncodeName("c.d"), 0, 1, 0, 1] },
        { "question cut short", [.. Header(qdcount: 1), 3, (byte)'w', (byte)'e'] },
        { "no type and class", [.. Header(qdcount: 1), .. QueryBytes.EncodeName("web")] },
        { "label over 63", [.. Header(qdcount: 1), 64, .. new byte[64], 0, 0, 1, 0, 1] },
        { "compression pointer in question", [.. Header(qdcount: 1), 0xC0, 0x0C, 0, 1, 0, 1] },
        { "additional record cut short", [.. Header(qdcount: 1, arcount: 1), .. QueryBytes.EncodeName("web"), 0, 1, 0, 1, 0, 0, 41] },
        { "two OPT records", [.. Header(qdcount: 1, arcount: 2), .. QueryBytes.EncodeName("web"), 0, 1, 0, 1, .. Opt(), .. Opt()] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedQueryWithReadableHeader_IsFormErrWithIdEchoed(string why, byte[] query)
    {
        var bytes = _cluster.Resolver.ResolveBytes(query);

        Assert.True(bytes.Length == 12, why);
        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16BigEndian(bytes));
        Assert.Equal(1, bytes[3] & 0xF);
        Assert.Equal(0x80, bytes[2] & 0x80);
    }

    [Fact]
    public void ShorterThanHeader_IsDropped()
    {
        Assert.Empty(_cluster.Resolver.ResolveBytes([1, 2, 3, 4, 5]));
    }

    [Fact]
    public void ResponseMessage_IsDropped()
    {
        var query = QueryBytes.Build("web.default.svc.cluster.local", 1);
        query[2] |= 0x80;

        Assert.Empty(_cluster.Resolver.ResolveBytes(query));
    }

    [Fact]
    public void RecursionDesiredClear_IsEchoedClear()
    {
        var answer = _cluster.Resolver.Resolve(QueryBytes.Build("web.default.svc.cluster.local", 1, recursionDesired: false));

        Assert.False(answer.IsRecursionDesired);
    }

    private static TestCluster WithManyEndpoints(int count)
    {
        var endpoints = Enumerable.Range(0, count).Select(i => TestCluster.Endpoint($"10.250.{i / 250}.{(i % 250) + 1}")).ToArray();
        return new TestCluster().Apply(
            TestCluster.Headless("default", "big", TestCluster.Port("http", 80)),
            TestCluster.Slice("default", "big-1", "big", [TestCluster.EndpointPort("http", 80)], endpoints));
    }

    private static byte[] Header(ushort qdcount, ushort arcount = 0)
    {
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, 0xBEEF);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), 0x0100);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), qdcount);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), arcount);
        return header;
    }

    private static byte[] Opt() => [0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0];
}
