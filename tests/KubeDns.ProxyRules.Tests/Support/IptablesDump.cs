using System.Text;

namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>
/// kube-proxy's test normalisation of iptables-restore input (pkg/proxy/iptables/proxier_test.go,
/// sortIPTablesRules, and IPTablesDump.String): tables by name; chains KUBE-NODEPORTS, KUBE-SERVICES, then the
/// other KUBE-* chains, then the rest, each group by name; rules grouped by chain in that order, keeping their
/// order except in KUBE-NODEPORTS and KUBE-SERVICES, which are stably sorted by the service name of their comment
/// (the nodeports rule of nat KUBE-SERVICES stays last); <c>-X</c> lines at the end of their table.
/// </summary>
internal static class IptablesDump
{
    private const string NodePortsRule = "kubernetes service nodeports; NOTE: this must be the last rule in this chain";

    public static string Normalise(string restoreInput)
    {
        var tables = new SortedDictionary<string, (List<string> Chains, List<(string Chain, string Line)> Rules, List<string> Deleted)>(StringComparer.Ordinal);
        (List<string> Chains, List<(string Chain, string Line)> Rules, List<string> Deleted) current = ([], [], []);
        foreach (var line in restoreInput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#') || line == "COMMIT")
            {
                continue;
            }

            if (line.StartsWith('*'))
            {
                current = ([], [], []);
                tables[line[1..]] = current;
            }
            else if (line.StartsWith(':'))
            {
                current.Chains.Add(line[1..line.IndexOf(' ', StringComparison.Ordinal)]);
            }
            else if (line.StartsWith("-X ", StringComparison.Ordinal))
            {
                current.Deleted.Add(line);
            }
            else
            {
                current.Rules.Add((line.Split(' ')[1], line));
            }
        }

        var text = new StringBuilder();
        foreach (var (name, table) in tables)
        {
            text.Append('*').Append(name).Append('\n');
            var chains = table.Chains.Distinct().Order(Comparer<string>.Create(CompareChains)).ToList();
            foreach (var chain in chains)
            {
                text.Append(':').Append(chain).Append(" - [0:0]\n");
            }

            foreach (var chain in chains)
            {
                var rules = table.Rules.Where(r => r.Chain == chain).Select(r => r.Line).ToList();
                if (chain is "KUBE-NODEPORTS" or "KUBE-SERVICES")
                {
                    rules = [.. rules.OrderBy(r => r.Contains(NodePortsRule, StringComparison.Ordinal) ? 1 : 0).ThenBy(ServiceOf, StringComparer.Ordinal)];
                }

                foreach (var rule in rules)
                {
                    text.Append(rule).Append('\n');
                }
            }

            foreach (var deleted in table.Deleted)
            {
                text.Append(deleted).Append('\n');
            }

            text.Append("COMMIT\n");
        }

        return text.ToString();
    }

    private static int CompareChains(string a, string b)
    {
        static int Rank(string chain) => chain switch
        {
            "KUBE-NODEPORTS" => 0,
            "KUBE-SERVICES" => 1,
            _ when chain.StartsWith("KUBE-", StringComparison.Ordinal) => 2,
            _ => 3,
        };

        var byRank = Rank(a).CompareTo(Rank(b));
        return byRank != 0 ? byRank : string.CompareOrdinal(a, b);
    }

    /// <summary>The service a rule belongs to: its comment up to the first space or colon.</summary>
    private static string ServiceOf(string rule)
    {
        var at = rule.IndexOf("--comment ", StringComparison.Ordinal);
        if (at < 0)
        {
            return "";
        }

        var comment = rule[(at + "--comment ".Length)..].TrimStart('"');
        var end = comment.IndexOfAny([' ', ':', '"']);
        return end < 0 ? comment : comment[..end];
    }
}
