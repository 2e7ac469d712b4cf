using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeDns.Cluster.Manifests;

/// <summary>Turns YamlDotNet exceptions into a line and a reason a person can act on.</summary>
internal static partial class YamlErrors
{
    private const string WrongShape = "the value has the wrong shape (a scalar where a list or mapping belongs, or the reverse)";

    /// <summary>
    /// The reason without YamlDotNet's "(Line: .., Col: ..) - (...)" prefix (the caller reports the line) and,
    /// for deserialisation errors, the inner cause rather than "Exception during deserialization".
    /// </summary>
    public static string Reason(YamlException ex) => ex.InnerException switch
    {
        FormatException or OverflowException => ex.InnerException.Message,
        InvalidCastException => WrongShape,
        _ when ex.Message.Contains("No node deserializer", StringComparison.Ordinal) => WrongShape,
        _ => PositionPrefix().Replace(ex.Message, string.Empty),
    };

    /// <summary>
    /// Maps a position in <paramref name="copyText"/> (the <paramref name="original"/> node written back out) to
    /// the line of the original file and the field path there. Both trees have the same shape, so walking them
    /// side by side finds the original node whose copy starts last at or before the position.
    /// </summary>
    public static (int Line, string Path) Locate(YamlNode original, string copyText, Mark at)
    {
        var best = new Best((int)original.Start.Line, string.Empty, new Mark());
        try
        {
            var copy = new YamlStream();
            copy.Load(new StringReader(copyText));
            Walk(original, copy.Documents[0].RootNode, string.Empty, at, ref best);
        }
        catch (YamlException)
        {
            // The copy came from a tree YamlDotNet built, so it parses; if not, the object's start line still helps.
        }

        return (best.Line, best.Path);
    }

    private static void Walk(YamlNode original, YamlNode copy, string path, Mark at, ref Best best)
    {
        if (Compare(copy.Start, at) > 0)
        {
            return;
        }

        if (Compare(copy.Start, best.CopyStart) >= 0)
        {
            best = new Best((int)original.Start.Line, path, copy.Start);
        }

        switch (original, copy)
        {
            case (YamlMappingNode originalMap, YamlMappingNode copyMap):
                using (var copyPairs = copyMap.Children.GetEnumerator())
                {
                    foreach (var pair in originalMap.Children)
                    {
                        if (!copyPairs.MoveNext())
                        {
                            return;
                        }

                        var key = (pair.Key as YamlScalarNode)?.Value ?? "?";
                        Walk(pair.Value, copyPairs.Current.Value, path.Length == 0 ? key : path + "." + key, at, ref best);
                    }
                }

                break;
            case (YamlSequenceNode originalList, YamlSequenceNode copyList):
                for (var i = 0; i < originalList.Children.Count && i < copyList.Children.Count; i++)
                {
                    Walk(originalList.Children[i], copyList.Children[i], $"{path}[{i}]", at, ref best);
                }

                break;
        }
    }

    private static int Compare(Mark a, Mark b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();

    private record struct Best(int Line, string Path, Mark CopyStart);
}
