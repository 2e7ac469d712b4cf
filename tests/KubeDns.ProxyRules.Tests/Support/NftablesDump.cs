namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>
/// kube-proxy's test normalisation of an nftables transaction (pkg/proxy/nftables/helpers_test.go,
/// sortNFTablesTransaction): blank and <c>#</c> lines dropped; lines stably sorted by object type (table,
/// chain, rule, set, map, element), then by object name, then by the whole line, except that the rules of one
/// chain keep their order. kube-proxy compares the state its fake nft ends up in, which has no
/// <c>flush</c> commands; ours are a transaction, so its <c>flush</c> lines are dropped too.
/// </summary>
internal static class NftablesDump
{
    public static string Normalise(string transaction)
    {
        var lines = transaction.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#' && !line.StartsWith("flush ", StringComparison.Ordinal))
            .Select(line => (Line: line, Words: line.Split(' ')))
            .ToList();
        Assert.All(lines, l => Assert.True(l.Words.Length >= 5, $"not an nft command on the kube-proxy table: {l.Line}"));

        return string.Join('\n', lines
            .OrderByDescending(l => Rank(l.Words[1]))
            .ThenBy(l => l.Words[4], StringComparer.Ordinal)
            .ThenBy(l => l.Words[1] == "rule" ? "" : l.Line, StringComparer.Ordinal)
            .Select(l => l.Line));
    }

    private static int Rank(string objectType) => objectType switch
    {
        "table" => 10,
        "chain" => 9,
        "rule" => 8,
        "set" => 7,
        "map" => 6,
        "element" => 5,
        _ => 0,
    };
}
