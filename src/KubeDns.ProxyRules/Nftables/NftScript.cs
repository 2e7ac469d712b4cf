using System.Text;

namespace KubeDns.ProxyRules.Nftables;

/// <summary>
/// One <c>nft -f -</c> transaction on the <c>kube-proxy</c> table of one family, one command a line, in the
/// text knftables writes (objects.go, writeOperation): <c>nft</c> applies all of it or none of it.
/// </summary>
internal sealed class NftScript(bool ipv6)
{
    public const string Table = "kube-proxy";

    private readonly StringBuilder _text = new();
    private readonly string _family = ipv6 ? "ip6" : "ip";

    public void AddTable(string comment) => Line("add table ").Append(_family).Append(' ').Append(Table).Append(" { comment ").Append(Quote(comment)).Append(" ; }\n");

    /// <summary>
    /// <c>add chain</c> (a no-op when it exists) then, when it may exist, <c>flush chain</c>: the chain exists and
    /// is empty (ensureChain). A chain known to be new is not flushed: at 10,000 services the flushes of chains
    /// that cannot hold rules were a tenth of the load (1.2 s of nft's 10 s).
    /// </summary>
    public void EnsureChain(string chain, string? spec = null, bool mayExist = true)
    {
        Object("add chain", chain);
        if (spec is not null)
        {
            _text.Append(" { ").Append(spec).Append(" ; }");
        }

        _text.Append('\n');
        if (mayExist)
        {
            Command("flush chain", chain);
        }
    }

    /// <summary>A bare <c>add chain</c>, which does not change a chain that exists.</summary>
    public void AddChain(string chain) => Command("add chain", chain);

    public void FlushChain(string chain) => Command("flush chain", chain);

    public void DeleteChain(string chain) => Command("delete chain", chain);

    /// <summary><c>add rule</c>; <paramref name="comment"/> goes last, as knftables puts it.</summary>
    public void Rule(string chain, string rule, string? comment = null)
    {
        Object("add rule", chain).Append(' ').Append(rule);
        if (comment is not null)
        {
            _text.Append(" comment ").Append(Quote(comment));
        }

        _text.Append('\n');
    }

    /// <summary><c>add set</c> or <c>add map</c> with the body's <c>key ; …</c> clauses (a no-op when it exists).</summary>
    public void AddContainer(string kind, string name, string body) => Object("add " + kind, name).Append(" { ").Append(body).Append(" ; }\n");

    /// <summary>Empties a set or map (<paramref name="kind"/>) in place, so rules that refer to it stay valid.</summary>
    public void Flush(string kind, string name) => Command("flush " + kind, name);

    public void DeleteSet(string name) => Command("delete set", name);

    /// <summary><c>delete element</c> of one key (the key must be there: nft fails the whole transaction otherwise).</summary>
    public void DeleteElement(string container, string key) => Object("delete element", container).Append(" { ").Append(key).Append(" }\n");

    /// <summary><c>add element</c>: key parts joined with <c> . </c>, then the comment, then <c>: value</c>.</summary>
    public void Element(string container, string key, string? comment = null, string? value = null)
    {
        Object("add element", container).Append(" { ").Append(key);
        if (comment is not null)
        {
            _text.Append(" comment ").Append(Quote(comment));
        }

        if (value is not null)
        {
            _text.Append(" : ").Append(value);
        }

        _text.Append(" }\n");
    }

    public override string ToString() => _text.ToString();

    /// <summary>Go's <c>%q</c> for the plain text of our comments: backslashes and quotes escaped.</summary>
    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private void Command(string command, string name) => Object(command, name).Append('\n');

    private StringBuilder Object(string command, string name) => Line(command).Append(' ').Append(_family).Append(' ').Append(Table).Append(' ').Append(name);

    private StringBuilder Line(string command) => _text.Append(command);
}
