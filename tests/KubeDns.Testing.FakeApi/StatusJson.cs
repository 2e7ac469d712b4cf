using System.Buffers;
using System.Text.Json;

namespace KubeDns.Testing.FakeApi;

/// <summary>
/// meta/v1 Status bodies as the real API server writes them, for error responses and ERROR watch events:
/// <c>{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":...,"reason":...,"details":{...},"code":N}</c>.
/// </summary>
internal static class StatusJson
{
    public static byte[] Forbidden(KindInfo kind, ApiVerb verb, string user, string? ns, string? name)
    {
        var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        var subject = name is null ? kind.Resource : $"{kind.Resource} \"{name}\"";
        var message = $"{subject} is forbidden: User \"{user}\" cannot {Verb(verb)} resource \"{kind.Resource}\" in API group \"{kind.Group}\" {scope}";
        return Write(403, "Forbidden", message, kind, name);
    }

    public static byte[] NotFound(KindInfo kind, string name) =>
        Write(404, "NotFound", $"{kind.Resource} \"{name}\" not found", kind, name);

    public static byte[] NoSuchResource() => Write(404, "NotFound", "the server could not find the requested resource", null, null);

    public static byte[] Unauthorized() => Write(401, "Unauthorized", "Unauthorized", null, null);

    public static byte[] MethodNotAllowed(string method) =>
        Write(405, "MethodNotAllowed", $"the fake API server serves reads only, not {method}", null, null);

    public static byte[] BadRequest(string message) => Write(400, "BadRequest", message, null, null);

    /// <summary>What a watch from a compacted resourceVersion gets, as an ERROR event object.</summary>
    public static byte[] TooOldResourceVersion(long requested, long oldest) =>
        Write(410, "Expired", $"too old resource version: {requested} ({oldest})", null, null);

    /// <summary>What a list with a continue token from before the compaction gets (HTTP 410).</summary>
    public static byte[] ContinueExpired() => Write(
        410,
        "Expired",
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
        null,
        null);

    /// <summary>An injected failure: the reason and message real servers use for the common codes.</summary>
    public static byte[] Injected(int code) => code switch
    {
        401 => Unauthorized(),
        409 => Write(code, "Conflict", "injected by the fake API server", null, null),
        410 => Write(code, "Expired", "injected by the fake API server", null, null),
        429 => Write(code, "TooManyRequests", "Too many requests, please try again later.", null, null),
        500 => Write(code, "InternalError", "Internal error occurred: injected by the fake API server", null, null),
        503 => Write(code, "ServiceUnavailable", "the server is currently unable to handle the request", null, null),
        504 => Write(code, "Timeout", "the server was unable to return a response in the time allotted", null, null),
        _ => Write(code, "", $"injected HTTP {code} by the fake API server", null, null),
    };

    private static string Verb(ApiVerb verb) => verb switch
    {
        ApiVerb.List => "list",
        ApiVerb.Watch => "watch",
        _ => "get",
    };

    private static byte[] Write(int code, string reason, string message, KindInfo? kind, string? name)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", "Status");
            json.WriteString("apiVersion", "v1");
            json.WriteStartObject("metadata");
            json.WriteEndObject();
            json.WriteString("status", "Failure");
            json.WriteString("message", message);
            if (reason.Length > 0)
            {
                json.WriteString("reason", reason);
            }

            if (kind is not null)
            {
                json.WriteStartObject("details");
                if (name is not null)
                {
                    json.WriteString("name", name);
                }

                if (kind.Group.Length > 0)
                {
                    json.WriteString("group", kind.Group);
                }

                json.WriteString("kind", kind.Resource);
                json.WriteEndObject();
            }

            json.WriteNumber("code", code);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
