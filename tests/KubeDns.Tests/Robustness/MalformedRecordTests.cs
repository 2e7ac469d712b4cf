using KubeDns.Resolution;
using DnsLimits = KubeDns.Protocol.DnsLimits;

namespace KubeDns.Tests.Robustness;

/// <summary>Structured attacks: compression loops and wild pointers, oversized labels and names, hostile OPT records.</summary>
public sealed class MalformedRecordTests
{
    private const int Iterations = 20_000;

    private readonly ResponseInvariants _invariants = new(HostileCluster.Shared.Resolver);

    [Fact]
    public void CompressionLoopsInAdditionalRecords_NeverBreakTheResponseInvariants()
    {
        var random = new Random(3001);

        for (var i = 0; i < Iterations; i++)
        {
            _invariants.Check(HostileRecords.CompressionLoops(random));
        }
    }

    [Fact]
    public void PointerInQuestionName_IsFormErr()
    {
        var random = new Random(3002);
        var response = new byte[DnsLimits.MaxMessageSize];

        for (var i = 0; i < 2_000; i++)
        {
            var query = HostileRecords.PointerInQuestion(random);
            _invariants.Check(query);

            var length = HostileCluster.Shared.Resolver.Handle(query, response, DnsTransport.Udp);
            Assert.Equal(12, length);
            Assert.Equal(1, response[3] & 0xF);
        }
    }

    [Fact]
    public void HugeLabelLengths_NeverBreakTheResponseInvariants()
    {
        var random = new Random(3003);

        for (var i = 0; i < Iterations; i++)
        {
            _invariants.Check(HostileRecords.HugeLabels(random));
        }

        // Names of up to 255 bytes are legal and get an answer; every longer one is FORMERR.
        Assert.True(_invariants.Resolved > 0, "no oversized-looking name was legal: the generator lost its edge cases");
    }

    [Fact]
    public void RandomEdnsOptions_NeverBreakTheResponseInvariants()
    {
        var random = new Random(3004);

        for (var i = 0; i < Iterations; i++)
        {
            _invariants.Check(HostileRecords.RandomEdns(random));
        }

        Assert.True(_invariants.Resolved > Iterations / 2, $"only {_invariants.Resolved} EDNS queries were answered in full");
    }
}
