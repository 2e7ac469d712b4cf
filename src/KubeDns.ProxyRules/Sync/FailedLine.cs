using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KubeDns.ProxyRules.Sync;

/// <summary>
/// The lines of a rejected program around the one its loader names, so that the log shows what failed and
/// in which chain: iptables-restore says only "Error occurred at line: N" (the nf_tables backend names the
/// COMMIT of the table at fault), and nft shows the line but not the lines before it.
/// </summary>
internal static partial class FailedLine
{
    private const int Before = 3;
    private const int After = 1;

    /// <summary><paramref name="error"/>, followed by the numbered lines around the first line it names, if it names one.</summary>
    public static string Describe(string error, string program)
    {
        var match = LineNumber().Match(error);
        if (!match.Success || !int.TryParse(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return error;
        }

        var context = new StringBuilder(error).Append("\nthe program at line ").Append(number).Append(':');
        var line = 1;
        var start = 0;
        while (start < program.Length && line <= number + After)
        {
            var end = program.IndexOf('\n', start);
            end = end < 0 ? program.Length : end;
            if (line >= number - Before)
            {
                context.Append('\n').Append(line == number ? "> " : "  ").Append(line).Append(": ").Append(program.AsSpan(start, end - start));
            }

            start = end + 1;
            line++;
        }

        return context.ToString();
    }

    /// <summary>iptables-restore's "line: N" / "line N", or nft's "/dev/stdin:N:".</summary>
    [GeneratedRegex(@"line:? (\d+)|/dev/stdin:(\d+):")]
    private static partial Regex LineNumber();
}
