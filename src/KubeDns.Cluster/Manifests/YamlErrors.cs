using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace KubeDns.Cluster.Manifests;

/// <summary>Turns YamlDotNet's parse errors into a reason a person can act on (the caller reports the line).</summary>
internal static partial class YamlErrors
{
    /// <summary>The reason without YamlDotNet's "(Line: .., Col: ..) - (...)" prefix.</summary>
    public static string Reason(YamlException ex) => PositionPrefix().Replace(ex.Message, string.Empty);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
