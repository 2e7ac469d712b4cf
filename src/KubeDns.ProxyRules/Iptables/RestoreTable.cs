using System.Text;

namespace KubeDns.ProxyRules.Iptables;

/// <summary>
/// One table of an <c>iptables-restore</c> input: chain lines first (declaring a chain flushes it under
/// <c>--noflush</c>), then the rules, then the deletions, then <c>COMMIT</c>.
/// With <paramref name="wholeTableCache"/>, a <c>-S</c> line first: on the nf_tables back end (iptables 1.8.x) a
/// command that names no chain makes the restore read the table's chains once, where otherwise it collects every
/// chain a line names into a sorted list (cache_chain_list_insert), a walk per line: at 10,000 services the load
/// took 15.7 s with it and over 5 minutes without. <c>-S</c> only prints (the loader discards it); <c>-Z</c> would
/// do as well but zero every rule's counters in the table, other programs' too.
/// </summary>
internal sealed class RestoreTable(string name, IEnumerable<string> topLevel, bool wholeTableCache = false)
{
    private readonly List<string> _chains = [.. topLevel];
    private readonly StringBuilder _rules = new();
    private readonly List<string> _deleted = [];

    public void Declare(string chain) => _chains.Add(chain);

    public void Rule(string chain, string rule) => _rules.Append("-A ").Append(chain).Append(' ').Append(rule).Append('\n');

    /// <summary>A chain to delete: declared (which empties it, so nothing it jumps to is in use) and <c>-X</c>.</summary>
    public void Delete(string chain) => _deleted.Add(chain);

    public void WriteTo(StringBuilder text)
    {
        text.Append('*').Append(name).Append('\n');
        if (wholeTableCache)
        {
            text.Append("-S\n");
        }

        foreach (var chain in _chains.Concat(_deleted))
        {
            text.Append(':').Append(chain).Append(" - [0:0]\n");
        }

        text.Append(_rules);
        foreach (var chain in _deleted)
        {
            text.Append("-X ").Append(chain).Append('\n');
        }

        text.Append("COMMIT\n");
    }
}
