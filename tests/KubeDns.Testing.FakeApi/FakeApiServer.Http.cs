using Microsoft.AspNetCore.Http;

namespace KubeDns.Testing.FakeApi;

/// <summary>The request pipeline: record, authenticate, route, apply injected faults, then list, get or watch.</summary>
public sealed partial class FakeApiServer
{
    private async Task HandleAsync(HttpContext context)
    {
        var http = context.Request;
        var api = ApiRequest.Parse(http.Path.Value ?? "", http.Query);
        var authorization = http.Headers.Authorization.ToString();
        var queryValues = http.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var fault = Admit(new RecordedRequest(
            _time.GetUtcNow(),
            http.Method,
            http.Path.Value ?? "",
            http.QueryString.Value ?? "",
            api?.Kind.Kind,
            api?.Verb,
            api?.Namespace,
            authorization.Length == 0 ? null : authorization,
            queryValues));
        Pulse();

        if (fault is var (code, body))
        {
            await WriteJsonAsync(context, code, body);
            return;
        }

        switch (api!.Verb)
        {
            case ApiVerb.Watch:
                await WatchAsync(context, api);
                break;
            case ApiVerb.Get:
                await GetAsync(context, api);
                break;
            default:
                await ListAsync(context, api);
                break;
        }
    }

    /// <summary>Logs the request and decides whether it fails before reaching the store (status and Status body).</summary>
    private (int Code, byte[] Body)? Admit(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
            if (request.Method != HttpMethods.Get)
            {
                return (405, StatusJson.MethodNotAllowed(request.Method));
            }

            if (request.Authorization != "Bearer " + _options.Token)
            {
                return (401, StatusJson.Unauthorized());
            }

            if (request.Kind is not { } kind || request.Verb is not { } verb)
            {
                return (404, StatusJson.NoSuchResource());
            }

            var store = Store(kind);
            if (verb == ApiVerb.List)
            {
                store.ListRequests++;
            }
            else if (verb == ApiVerb.Watch)
            {
                store.WatchRequests++;
            }

            if (store.Forbidden.Contains(verb))
            {
                var name = request.Path[(request.Path.LastIndexOf('/') + 1)..];
                return (403, StatusJson.Forbidden(store.Info, verb, _options.User, request.Namespace, verb == ApiVerb.Get ? name : null));
            }

            var failures = verb == ApiVerb.Watch ? store.WatchFailures : verb == ApiVerb.List ? store.ListFailures : null;
            if (failures is not null && failures.TryDequeue(out var code))
            {
                return (code, StatusJson.Injected(code));
            }

            return null;
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, byte[] body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        if (code == 429)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
