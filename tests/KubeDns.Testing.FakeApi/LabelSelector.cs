namespace KubeDns.Testing.FakeApi;

/// <summary>
/// A <c>labelSelector</c> query parameter: comma-separated requirements, each <c>k=v</c>, <c>k==v</c>,
/// <c>k!=v</c>, <c>k</c> (exists), <c>!k</c> (absent), <c>k in (a,b)</c> or <c>k notin (a,b)</c>.
/// All must hold. A value the API server would reject makes <see cref="Parse"/> throw <see cref="FormatException"/>.
/// </summary>
internal sealed class LabelSelector
{
    private readonly Requirement[] _requirements;

    private LabelSelector(Requirement[] requirements) => _requirements = requirements;

    private enum Op
    {
        Equals,
        NotEquals,
        Exists,
        Absent,
        In,
        NotIn,
    }

    /// <summary>Null for an empty or missing selector (everything matches).</summary>
    public static LabelSelector? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim(), text));
        }

        return new LabelSelector([.. requirements]);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels.TryGetValue(r.Key, out var value);
            var ok = r.Op switch
            {
                Op.Equals => has && r.Values.Contains(value!),
                Op.NotEquals => !has || !r.Values.Contains(value!),
                Op.Exists => has,
                Op.Absent => !has,
                Op.In => has && r.Values.Contains(value!),
                Op.NotIn => !has || !r.Values.Contains(value!),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static Requirement ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw new FormatException($"unable to parse requirement: found '', expected: identifier in \"{whole}\"");
        }

        if (part.StartsWith('!'))
        {
            return new Requirement(Identifier(part[1..], whole), Op.Absent, []);
        }

        var setAt = part.IndexOf(" notin ", StringComparison.Ordinal) is var n and >= 0 ? (n, Op.NotIn, 7)
            : part.IndexOf(" in ", StringComparison.Ordinal) is var i and >= 0 ? (i, Op.In, 4)
            : (-1, Op.In, 0);
        if (setAt.Item1 >= 0)
        {
            var set = part[(setAt.Item1 + setAt.Item3)..].Trim();
            if (!set.StartsWith('(') || !set.EndsWith(')'))
            {
                throw new FormatException($"unable to parse requirement: expected a (value, ...) set in \"{whole}\"");
            }

            var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries);
            return new Requirement(Identifier(part[..setAt.Item1], whole), setAt.Item2, [.. values]);
        }

        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var at = part.IndexOf(token, StringComparison.Ordinal);
            if (at >= 0)
            {
                return new Requirement(Identifier(part[..at], whole), op, [part[(at + token.Length)..].Trim()]);
            }
        }

        return new Requirement(Identifier(part, whole), Op.Exists, []);
    }

    private static string Identifier(string text, string whole)
    {
        var key = text.Trim();
        if (key.Length == 0 || key.Contains(' ', StringComparison.Ordinal))
        {
            throw new FormatException($"unable to parse requirement: invalid label key \"{key}\" in \"{whole}\"");
        }

        return key;
    }

    /// <summary>Splits on the commas that are not inside a (set).</summary>
    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    private sealed record Requirement(string Key, Op Op, HashSet<string> Values);
}
