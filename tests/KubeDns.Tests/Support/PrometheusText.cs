using System.Globalization;
using System.Text;

namespace KubeDns.Tests.Support;

/// <summary>One sample of a scrape: metric name, labels, value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(params (string Label, string Value)[] labels) =>
        labels.All(l => Labels.TryGetValue(l.Label, out var value) && value == l.Value);
}

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4 (what the scrapers parse): every sample
/// belongs to a family declared by <c># TYPE</c>, names and labels are well formed, label values are quoted
/// with their escapes, values are numbers, and each histogram's buckets are cumulative and end in +Inf with
/// the count. Throws <see cref="FormatException"/> naming the line otherwise.
/// </summary>
internal static class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ');
                if (parts.Length != 2 || !IsName(parts[0]) || parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                {
                    throw new FormatException($"line {lineNumber}: bad TYPE line: {line}");
                }

                types[parts[0]] = parts[1];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue; // HELP and comments
            }

            var sample = ParseSample(line, lineNumber);
            var family = FamilyOf(sample.Name, types);
            if (family is null)
            {
                throw new FormatException($"line {lineNumber}: sample of an undeclared family: {line}");
            }

            samples.Add(sample);
        }

        CheckHistograms(samples, types);
        return samples;
    }

    private static PrometheusSample ParseSample(string line, int lineNumber)
    {
        var position = 0;
        while (position < line.Length && line[position] is not ('{' or ' '))
        {
            position++;
        }

        var name = line[..position];
        if (!IsName(name))
        {
            throw new FormatException($"line {lineNumber}: bad metric name '{name}'");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var label = line[position..equals];
                if (!IsName(label) || line[equals + 1] != '"')
                {
                    throw new FormatException($"line {lineNumber}: bad label near '{line[position..]}'");
                }

                position = equals + 2;
                var value = new StringBuilder();
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        position++;
                        value.Append(line[position] switch
                        {
                            'n' => '\n',
                            '\\' => '\\',
                            '"' => '"',
                            _ => throw new FormatException($"line {lineNumber}: bad escape"),
                        });
                    }
                    else
                    {
                        value.Append(line[position]);
                    }

                    position++;
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"line {lineNumber}: label '{label}' twice");
                }

                position++;
                if (line[position] == ',')
                {
                    position++;
                }
            }

            position++;
        }

        var fields = line[position..].Trim().Split(' ');
        if (fields.Length is < 1 or > 2 || !TryNumber(fields[0], out var number))
        {
            throw new FormatException($"line {lineNumber}: bad value in '{line}'");
        }

        return new PrometheusSample(name, labels, number);
    }

    private static bool TryNumber(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static string? FamilyOf(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name))
        {
            return name;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }

    private static void CheckHistograms(List<PrometheusSample> samples, Dictionary<string, string> types)
    {
        foreach (var histogram in types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            var series = samples.Where(s => s.Name == histogram + "_bucket")
                .GroupBy(s => string.Join(',', s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")), StringComparer.Ordinal);
            foreach (var buckets in series)
            {
                var ordered = buckets.Select(b => (Le: TryNumber(b.Labels["le"], out var le) ? le : throw new FormatException($"{histogram}: bad le"), b.Value)).ToList();
                if (!double.IsPositiveInfinity(ordered[^1].Le))
                {
                    throw new FormatException($"{histogram}{{{buckets.Key}}}: the last bucket is not +Inf");
                }

                for (var i = 1; i < ordered.Count; i++)
                {
                    if (ordered[i].Le <= ordered[i - 1].Le || ordered[i].Value < ordered[i - 1].Value)
                    {
                        throw new FormatException($"{histogram}{{{buckets.Key}}}: buckets not cumulative in order");
                    }
                }

                var count = samples.Single(s => s.Name == histogram + "_count"
                    && string.Join(',', s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) == buckets.Key);
                if (count.Value != ordered[^1].Value)
                {
                    throw new FormatException($"{histogram}{{{buckets.Key}}}: _count {count.Value} differs from the +Inf bucket {ordered[^1].Value}");
                }
            }
        }
    }

    private static bool IsName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');
}
