using KubeDns.Resolution;
using DnsLimits = KubeDns.Protocol.DnsLimits;

namespace KubeDns.Tests.Robustness;

/// <summary>Noise: random bytes of random length, and random bytes behind a header that passes the first checks.</summary>
public sealed class RandomInputTests
{
    private const int Iterations = 20_000;

    private readonly ResponseInvariants _invariants = new(HostileCluster.Shared.Resolver);

    [Fact]
    public void RandomBytes_NeverBreakTheResponseInvariants()
    {
        var random = new Random(1001);

        for (var i = 0; i < Iterations; i++)
        {
            _invariants.Check(HostileMessages.RandomBytes(random, maxLength: 600));
        }

        Assert.True(_invariants.Answered > Iterations / 4, $"only {_invariants.Answered} responses: the inputs hardly reach the parser");
    }

    [Fact]
    public void RandomBodyAfterQueryHeader_NeverBreaksTheResponseInvariants()
    {
        var random = new Random(1002);

        for (var i = 0; i < Iterations; i++)
        {
            _invariants.Check(HostileMessages.RandomBodyAfterQueryHeader(random, maxBodyLength: 588));
        }

        Assert.True(_invariants.Answered > Iterations, $"only {_invariants.Answered} responses over both transports");
    }

    [Fact]
    public void RandomQuestionNames_NeverBreakTheResponseInvariants()
    {
        var random = new Random(1004);

        for (var i = 0; i < Iterations; i++)
        {
            _invariants.Check(HostileMessages.RandomQuestion(random));
        }

        Assert.True(_invariants.Resolved > Iterations, $"only {_invariants.Resolved} random questions were answered in full");
    }

    [Fact]
    public void ResponsesAndEmptyMessages_AreDropped()
    {
        var random = new Random(1003);
        var resolver = HostileCluster.Shared.Resolver;
        var response = new byte[DnsLimits.MaxMessageSize];

        for (var i = 0; i < 2_000; i++)
        {
            var message = HostileMessages.RandomBytes(random, maxLength: 600);
            if (message.Length >= 12)
            {
                message[2] |= 0x80; // QR: answering a response could start a loop between two servers.
            }

            Assert.Equal(0, resolver.Handle(message, response, DnsTransport.Udp));
        }
    }
}
