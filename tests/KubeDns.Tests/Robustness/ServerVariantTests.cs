using KubeDns.Hosting;

namespace KubeDns.Tests.Robustness;

/// <summary>
/// The same hostile mix against other server settings: the largest and smallest UDP caps, pods verified
/// or disabled, endpoint pod names, and a server whose sources have not synced yet (SERVFAIL paths).
/// </summary>
public sealed class ServerVariantTests
{
    private const int Iterations = 5_000;

    public static TheoryData<string> Variants => ["max-udp-65535-pods-verified", "max-udp-512-pods-disabled", "endpoint-pod-names", "not-synced"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void HostileMix_NeverBreaksTheResponseInvariants(string variant)
    {
        var (options, synced) = variant switch
        {
            "max-udp-65535-pods-verified" => (new ServerOptions { MaxUdpSize = 65535, Pods = PodsMode.Verified }, true),
            "max-udp-512-pods-disabled" => (new ServerOptions { MaxUdpSize = 512, Pods = PodsMode.Disabled }, true),
            "endpoint-pod-names" => (new ServerOptions { EndpointPodNames = true }, true),
            _ => (new ServerOptions(), false),
        };
        var invariants = new ResponseInvariants(HostileCluster.Create(options, synced).Resolver, options.MaxUdpSize);
        var random = new Random(4001);

        for (var i = 0; i < Iterations; i++)
        {
            invariants.Check(Next(random));
        }

        Assert.True(invariants.Resolved > Iterations / 2, $"only {invariants.Resolved} inputs were answered in full");
    }

    private static byte[] Next(Random random) => random.Next(6) switch
    {
        0 => HostileMessages.Mutate(random, Seed(random), count: random.Next(1, 4)),
        1 => HostileMessages.RandomQuestion(random),
        2 => HostileRecords.RandomEdns(random),
        3 => HostileRecords.CompressionLoops(random),
        4 => HostileRecords.HugeLabels(random),
        _ => Seed(random),
    };

    private static byte[] Seed(Random random) => SeedQueries.All[random.Next(SeedQueries.All.Count)];
}
