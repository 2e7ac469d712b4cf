namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>
/// kube-proxy's test normalisation of nftables output (pkg/proxy/nftables/helpers_test.go,
/// sortNFTablesTransaction): blank and <c>#</c> lines dropped; lines stably sorted by object type (table,
/// chain, rule, set, map, element), then by object name, then by the whole line, except that the rules of one
/// chain keep their order. kube-proxy sorts the state its fake nft ends up in (its Dump); ours is a
/// transaction, so it is first reduced to the state it leaves in an empty table: <c>flush</c> and
/// <c>delete</c> take back the rules, elements and objects written before them, and an object added twice
/// is listed once.
/// </summary>
internal static class NftablesDump
{
    public static string Normalise(string transaction)
    {
        var state = new List<(string Line, string[] Words)>();
        foreach (var line in transaction.Split('\n').Where(line => line.Length > 0 && line[0] != '#'))
        {
            var words = line.Split(' ');
            Assert.True(words.Length >= 5, $"not an nft command on the kube-proxy table: {line}");
            var (command, type, name) = (words[0], words[1], words[4]);
            if (command == "flush")
            {
                state.RemoveAll(s => s.Words[4] == name && s.Words[1] == (type == "chain" ? "rule" : "element"));
            }
            else if (command == "delete")
            {
                string[] owned = type == "chain" ? ["chain", "rule"] : ["set", "map", "element"];
                state.RemoveAll(s => s.Words[4] == name && owned.Contains(s.Words[1]));
            }
            else if (type is "rule" or "element" || !state.Any(s => s.Words[1] == type && s.Words[4] == name))
            {
                state.Add((line, words));
            }
        }

        return string.Join('\n', state
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
