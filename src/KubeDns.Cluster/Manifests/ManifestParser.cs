using System.Text.Json.Serialization.Metadata;
using KubeDns.Cluster.Ingest;
using KubeDns.Cluster.Model;
using KubeDns.Cluster.Wire;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeDns.Cluster.Manifests;

/// <summary>
/// Reads one manifest file (YAML or JSON, several documents, <c>kind: List</c>) into stripped objects.
/// The documents are split here rather than by <c>KubernetesYaml.LoadAllFromString</c>, which throws on
/// any kind it does not know; a folder of manifests routinely holds Deployments and ConfigMaps.
/// </summary>
internal static class ManifestParser
{
    /// <summary>
    /// Pays both readers' one-time set-up (the JSON model, the YAML parser) ahead of need, so that the first change after an empty start still lands within a second.
    /// </summary>
    public static void WarmUp()
    {
        const string Warm = "apiVersion: v1\nkind: Namespace\nmetadata: {name: warm-up}\n";
        Parse(Warm);
        ParseTree(Warm);
    }

    /// <summary>The file's objects: through <see cref="ManifestFastPath"/> when it can, else through the YAML tree.</summary>
    public static ManifestParseResult Parse(string content) =>
        Parse(new StringReader(content), () => new StringReader(content));

    /// <summary>
    /// The same, read from <paramref name="content"/> as it streams, so a file is never held as one string (a
    /// 600 KB file is a 1.2 MB string in the large object heap, and a rewrite of 100 such files left 120 MiB of
    /// them to the next full collection; issue 14). <paramref name="reopen"/> gives the content again for the
    /// tree, when the fast path gives up; <paramref name="admit"/> sees each object as it is read
    /// (<see cref="ManifestCollector"/>). I/O errors propagate.
    /// </summary>
    public static ManifestParseResult Parse(TextReader content, Func<TextReader> reopen, Func<ManifestObject, ManifestObject>? admit = null)
    {
        if (ManifestFastPath.TryParse(content, new ManifestCollector(admit)) is { } fast)
        {
            return fast;
        }

        using var again = reopen();
        return ParseTree(again, admit);
    }

    /// <summary>Every file's reader of last resort, and the one whose errors name line and field.</summary>
    public static ManifestParseResult ParseTree(string content) => ParseTree(new StringReader(content));

    private static ManifestParseResult ParseTree(TextReader content, Func<ManifestObject, ManifestObject>? admit = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(content);
        }
        catch (YamlException ex)
        {
            return ManifestParseResult.Failed(new ManifestError((int)ex.Start.Line, YamlErrors.Reason(ex)));
        }

        var read = new ManifestCollector(admit);
        foreach (var document in stream.Documents)
        {
            if (ReadNode(document.RootNode, read, listAllowed: true) is { } error)
            {
                return ManifestParseResult.Failed(error);
            }
        }

        return read.Result();
    }

    private static ManifestError? ReadNode(YamlNode node, ManifestCollector read, bool listAllowed)
    {
        if (IsEmpty(node))
        {
            return null;
        }

        var line = (int)node.Start.Line;
        if (node is not YamlMappingNode mapping)
        {
            return new ManifestError(line, "expected an object (a mapping with apiVersion and kind)");
        }

        var apiVersion = ScalarAt(mapping, "apiVersion");
        var kind = ScalarAt(mapping, "kind");
        if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion))
        {
            return new ManifestError(line, string.IsNullOrEmpty(kind) ? "kind is missing" : "apiVersion is missing");
        }

        if (kind == "List" && listAllowed)
        {
            return ReadList(mapping, read);
        }

        var objectName = Describe(kind, mapping);
        switch ((apiVersion, kind))
        {
            case ("v1", "Namespace"):
                return Read(mapping, objectName, WireJson.Default.NamespaceObject, o => From(ObjectStripper.Strip(o), line), read);
            case ("v1", "Service"):
                return Read(mapping, objectName, WireJson.Default.ServiceObject, o => From(ObjectStripper.Strip(o), line), read);
            case ("v1", "Pod"):
                return Read(mapping, objectName, WireJson.Default.PodObject, o => From(ObjectStripper.Strip(o), line), read);
            case ("discovery.k8s.io/v1", "EndpointSlice"):
                return Read(mapping, objectName, WireJson.Default.EndpointSliceObject, o => From(ObjectStripper.Strip(o), line), read);
            default:
                read.Ignore(new IgnoredDocument(apiVersion, kind, line));
                return null;
        }
    }

    private static ManifestError? ReadList(YamlMappingNode list, ManifestCollector read)
    {
        if (!list.Children.TryGetValue(new YamlScalarNode("items"), out var items) || IsEmpty(items))
        {
            return null;
        }

        if (items is not YamlSequenceNode sequence)
        {
            return new ManifestError((int)items.Start.Line, "List: items must be a sequence");
        }

        foreach (var item in sequence)
        {
            if (ReadNode(item, read, listAllowed: false) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>
    /// Deserialises and strips one object (<see cref="YamlTreeJson"/>: typed by the model, a type error named by
    /// the line and field of the original file).
    /// </summary>
    private static ManifestError? Read<T>(YamlMappingNode node, string objectName, JsonTypeInfo<T> model, Func<T, ManifestObject> strip, ManifestCollector read)
    {
        var (value, line, path, typeError) = YamlTreeJson.Read(node, model);
        if (value is null)
        {
            var field = string.IsNullOrEmpty(path) ? string.Empty : path + ": ";
            return new ManifestError(line == 0 ? (int)node.Start.Line : line, $"{objectName}: {field}{typeError ?? "null document"}");
        }

        try
        {
            read.Add(strip(value));
            return null;
        }
#pragma warning disable CA1031 // Whatever one object's content does to the stripper, it must cost only that file.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The stripper names the bad field but not the line, so report where the object starts. A null
            // argument comes from a required list the stripper walks (an endpoint without addresses).
            var reason = ex is ArgumentNullException ? "a required list is missing (e.g. endpoints[].addresses)" : ex.Message;
            return new ManifestError((int)node.Start.Line, $"{objectName}: {reason}");
        }
    }

    private static ManifestObject From(NamespaceInfo value, int line) => new(ObjectKind.Namespace, value.Key, value, line);

    private static ManifestObject From(ServiceInfo value, int line) => new(ObjectKind.Service, value.Key, value, line);

    private static ManifestObject From(PodInfo value, int line) => new(ObjectKind.Pod, value.Key, value, line);

    private static ManifestObject From(EndpointSliceInfo value, int line) => new(ObjectKind.EndpointSlice, value.Key, value, line);

    private static string Describe(string kind, YamlMappingNode mapping) =>
        mapping.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode meta
            && ScalarAt(meta, "name") is { Length: > 0 } name
            ? $"{kind} {name}"
            : kind;

    private static string? ScalarAt(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>An empty document: only comments, or a lone <c>---</c>, or an explicit null.</summary>
    private static bool IsEmpty(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };
}
