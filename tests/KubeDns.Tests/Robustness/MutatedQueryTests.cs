namespace KubeDns.Tests.Robustness;

/// <summary>
/// Valid queries for every answer shape, damaged: byte mutations, spliced runs, every truncation, bogus
/// section counts. Close to valid, these reach the lookup and the response writer, not just the parser.
/// </summary>
public sealed class MutatedQueryTests
{
    private const int Iterations = 20_000;

    private readonly ResponseInvariants _invariants = new(HostileCluster.Shared.Resolver);

    [Fact]
    public void SeedQueries_AllGetAFullAnswer()
    {
        foreach (var query in SeedQueries.All)
        {
            _invariants.Check(query);
        }

        Assert.Equal(2 * SeedQueries.All.Count, _invariants.Resolved);
    }

    [Fact]
    public void SingleByteMutations_NeverBreakTheResponseInvariants()
    {
        var random = new Random(2001);

        for (var i = 0; i < Iterations; i++)
        {
            _invariants.Check(HostileMessages.Mutate(random, Seed(random), count: 1));
        }

        Assert.True(_invariants.Resolved > Iterations / 2, $"only {_invariants.Resolved} mutated queries were answered in full");
    }

    [Fact]
    public void MultipleByteMutations_NeverBreakTheResponseInvariants()
    {
        var random = new Random(2002);

        for (var i = 0; i < Iterations; i++)
        {
            _invariants.Check(HostileMessages.Mutate(random, Seed(random), count: random.Next(2, 9)));
        }

        Assert.True(_invariants.Resolved > Iterations / 10, $"only {_invariants.Resolved} mutated queries were answered in full");
    }

    [Fact]
    public void InsertedOrRemovedRuns_NeverBreakTheResponseInvariants()
    {
        var random = new Random(2003);

        for (var i = 0; i < Iterations; i++)
        {
            _invariants.Check(HostileMessages.Splice(random, Seed(random)));
        }
    }

    [Fact]
    public void TruncationAtEveryOffset_NeverBreaksTheResponseInvariants()
    {
        var checkedPrefixes = 0;
        foreach (var query in SeedQueries.All)
        {
            for (var length = 0; length <= query.Length; length++)
            {
                _invariants.Check(query[..length]);
                checkedPrefixes++;
            }
        }

        Assert.True(checkedPrefixes > 10_000, $"only {checkedPrefixes} prefixes");
    }

    [Fact]
    public void BogusCounts_NeverBreakTheResponseInvariants()
    {
        var random = new Random(2004);

        for (var i = 0; i < Iterations; i++)
        {
            _invariants.Check(HostileMessages.WithBogusCounts(random, Seed(random)));
        }
    }

    private static byte[] Seed(Random random) => SeedQueries.All[random.Next(SeedQueries.All.Count)];
}
