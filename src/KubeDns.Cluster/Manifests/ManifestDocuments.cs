using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Manifests;

/// <summary>One stripped object read from a manifest file; <see cref="Line"/> is where its document or item starts.</summary>
internal sealed record ManifestObject(ObjectKind Kind, ObjectKey Key, object Value, int Line)
{
    public StateKey StateKey => new(Kind, Key);
}

/// <summary>A document of a kind this source does not use (Deployment, ConfigMap, ...).</summary>
internal sealed record IgnoredDocument(string ApiVersion, string Kind, int Line);

/// <summary>Why a file could not be used. <see cref="Line"/> is 1-based; 0 when no line applies (an unreadable file).</summary>
internal sealed record ManifestError(int Line, string Reason)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Reason}" : Reason;
}

/// <summary>
/// The outcome of parsing one file: all of its objects, or an error. A file is used whole or not at all, so a
/// half-edited file never removes the objects that follow the mistake.
/// </summary>
internal sealed record ManifestParseResult(
    IReadOnlyList<ManifestObject> Objects,
    IReadOnlyList<IgnoredDocument> Ignored,
    ManifestError? Error)
{
    public static ManifestParseResult Failed(ManifestError error) => new([], [], error);
}

/// <summary>The identity of an object across kinds: what the source diffs on.</summary>
internal readonly record struct StateKey(ObjectKind Kind, ObjectKey Key);
