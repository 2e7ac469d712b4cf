namespace KubeDns.Testing.FakeApi;

/// <summary>
/// One request the fake API server received, recorded on arrival (before any fault applies).
/// <see cref="Kind"/> and <see cref="Verb"/> are null for a path the server does not serve.
/// </summary>
public sealed record RecordedRequest(
    DateTimeOffset At,
    string Method,
    string Path,
    string Query,
    ApiKind? Kind,
    ApiVerb? Verb,
    string? Namespace,
    string? Authorization,
    IReadOnlyDictionary<string, string> QueryValues)
{
    /// <summary>e.g. <c>/api/v1/services?allowWatchBookmarks=true&amp;resourceVersion=12&amp;watch=true</c>.</summary>
    public string PathAndQuery => Path + Query;

    /// <summary>A query parameter's value, or null when absent.</summary>
    public string? QueryValue(string name) => QueryValues.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Method} {PathAndQuery}";
}
