using System.Text;

namespace KubeDns.ProxyRules.Iptables;

/// <summary>
/// One table of an <c>iptables-restore</c> input: chain lines first (declaring a chain flushes it under
/// <c>--noflush</c>), then the rules, then the deletions, then <c>COMMIT</c>.
/// </summary>
internal sealed class RestoreTable(string name, IEnumerable<string> topLevel)
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
