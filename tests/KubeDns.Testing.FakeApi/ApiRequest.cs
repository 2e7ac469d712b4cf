using Microsoft.AspNetCore.Http;

namespace KubeDns.Testing.FakeApi;

/// <summary>
/// What a GET asks for, from its path and query. Served paths (with <c>/watch/</c> after the version as
/// the legacy watch form): <c>{gv}/{resource}</c>, <c>{gv}/{resource}/{name}</c>,
/// <c>{gv}/namespaces/{ns}/{resource}</c> and <c>{gv}/namespaces/{ns}/{resource}/{name}</c>, where gv is
/// <c>/api/v1</c> or <c>/apis/discovery.k8s.io/v1</c>.
/// </summary>
internal sealed record ApiRequest(KindInfo Kind, ApiVerb Verb, string? Namespace, string? Name)
{
    public static ApiRequest? Parse(string path, IQueryCollection query)
    {
        foreach (var kind in KindInfo.Every)
        {
            if (!path.StartsWith(kind.GroupVersionPath + "/", StringComparison.Ordinal))
            {
                continue;
            }

            var segments = path[(kind.GroupVersionPath.Length + 1)..].Split('/');
            var watchPath = segments[0] == "watch";
            if (watchPath)
            {
                segments = segments[1..];
            }

            if (Match(kind, segments) is not var (ns, name))
            {
                continue;
            }

            var verb = name is not null ? ApiVerb.Get
                : watchPath || IsTrue(query["watch"]) ? ApiVerb.Watch
                : ApiVerb.List;
            return watchPath && name is not null ? null : new ApiRequest(kind, verb, ns, name);
        }

        return null;
    }

    public static bool IsTrue(string? value) => value is "true" or "1";

    private static (string? Namespace, string? Name)? Match(KindInfo kind, string[] s)
    {
        if (s.Length >= 1 && s.Length <= 2 && s[0] == kind.Resource)
        {
            return (null, s.Length == 2 ? NonEmpty(s[1]) : null);
        }

        if (kind.Namespaced && s.Length >= 3 && s.Length <= 4 && s[0] == "namespaces" && s[2] == kind.Resource && s[1].Length > 0)
        {
            return (s[1], s.Length == 4 ? NonEmpty(s[3]) : null);
        }

        return null;
    }

    private static string? NonEmpty(string name) => name.Length == 0 ? null : name;
}
