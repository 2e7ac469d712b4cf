using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace KubeDns.Testing.FakeApi;

/// <summary>
/// List and get. A list honours <c>labelSelector</c>, <c>limit</c> and <c>continue</c>; every page of one
/// paged list is read from the snapshot of its first page and reports that page's resourceVersion, as
/// the real server does. <c>resourceVersion</c>/<c>resourceVersionMatch</c> on a list are ignored
/// (the list is always "most recent").
/// </summary>
public sealed partial class FakeApiServer
{
    private async Task ListAsync(HttpContext context, ApiRequest api)
    {
        var query = context.Request.Query;
        LabelSelector? selector;
        try
        {
            selector = LabelSelector.Parse(query["labelSelector"]);
        }
        catch (FormatException e)
        {
            await WriteJsonAsync(context, 400, StatusJson.BadRequest(e.Message));
            return;
        }

        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
        string continueToken = query["continue"].ToString();

        ImmutableList<StoredObject> objects;
        long rv;
        var start = 0;
        lock (_gate)
        {
            var store = Store(api.Kind.Kind);
            if (continueToken.Length == 0)
            {
                objects = store.Objects;
                rv = _resourceVersion;
            }
            else if (!ContinueToken.TryDecode(continueToken, out rv, out var afterKey))
            {
                objects = [];
            }
            else if (!store.Snapshots.TryGetValue(rv, out objects!))
            {
                objects = [];
                rv = -1;
            }
            else
            {
                var at = KindStore.Find(objects, afterKey);
                start = at >= 0 ? at + 1 : ~at;
            }
        }

        if (continueToken.Length > 0 && rv <= 0)
        {
            await WriteJsonAsync(
                context,
                rv < 0 ? 410 : 400,
                rv < 0 ? StatusJson.ContinueExpired() : StatusJson.BadRequest("continue key is not valid: invalid token"));
            return;
        }

        var page = new List<StoredObject>();
        var index = start;
        for (; index < objects.Count && page.Count < limit; index++)
        {
            if ((api.Namespace is null || objects[index].Namespace == api.Namespace) && (selector is null || selector.Matches(objects[index].Labels)))
            {
                page.Add(objects[index]);
            }
        }

        string? next = null;
        if (index < objects.Count)
        {
            next = ContinueToken.Encode(rv, objects[index - 1].Key);
            lock (_gate)
            {
                Store(api.Kind.Kind).KeepSnapshot(rv, objects);
            }
        }

        // remainingItemCount is only known without a selector (the real server omits it with one).
        var remaining = next is not null && selector is null && api.Namespace is null ? objects.Count - index : (int?)null;
        await WriteListAsync(context, api.Kind, rv, next, remaining, page);
    }

    private static async Task WriteListAsync(
        HttpContext context, KindInfo kind, long rv, string? next, int? remaining, List<StoredObject> items)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var body = context.Response.BodyWriter;
        await using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("kind", kind.ListKindName);
            json.WriteString("apiVersion", kind.ApiVersion);
            json.WriteStartObject("metadata");
            json.WriteString("resourceVersion", rv.ToString(CultureInfo.InvariantCulture));
            if (next is not null)
            {
                json.WriteString("continue", next);
            }

            if (remaining is { } count)
            {
                json.WriteNumber("remainingItemCount", count);
            }

            json.WriteEndObject();
            json.WriteStartArray("items");
            foreach (var item in items)
            {
                json.WriteRawValue(item.Json, skipInputValidation: true);
                if (json.BytesPending > 32 * 1024)
                {
                    await json.FlushAsync(context.RequestAborted);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await body.FlushAsync(context.RequestAborted);
    }

    private async Task GetAsync(HttpContext context, ApiRequest api)
    {
        StoredObject? found;
        lock (_gate)
        {
            var objects = Store(api.Kind.Kind).Objects;
            var index = KindStore.Find(objects, ObjectJson.KeyOf(api.Namespace ?? "", api.Name!));
            found = index >= 0 ? objects[index] : null;
        }

        if (found is null)
        {
            await WriteJsonAsync(context, 404, StatusJson.NotFound(api.Kind, api.Name!));
            return;
        }

        // An object on its own carries kind and apiVersion; the stored JSON is a list item without them.
        var body = new byte[found.Json.Length + api.Kind.ObjectHeader.Length + 1];
        body[0] = (byte)'{';
        api.Kind.ObjectHeader.CopyTo(body, 1);
        body[api.Kind.ObjectHeader.Length + 1] = (byte)',';
        found.Json.AsSpan(1).CopyTo(body.AsSpan(api.Kind.ObjectHeader.Length + 2));
        await WriteJsonAsync(context, 200, body);
    }
}
