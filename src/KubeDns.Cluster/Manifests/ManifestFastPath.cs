using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using KubeDns.Cluster.Ingest;
using KubeDns.Cluster.Model;
using KubeDns.Cluster.Wire;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace KubeDns.Cluster.Manifests;

/// <summary>
/// The common file, read without a YAML tree or the YAML deserialiser: the parser's events written straight to
/// JSON, which System.Text.Json turns into the model (<see cref="WireJson"/>, as the API source reads). At 10,000
/// services in 100 files the tree, its re-serialisation and KubernetesYaml's reflection were 7 of a 15 s
/// start. Whatever this path cannot vouch for gives up (returns null) and <see cref="ManifestParser"/> reads the
/// file the slow way and answers, with its errors naming line and field: anchors, aliases, tags, duplicate keys,
/// a <c>kind: List</c>, a scalar whose type YAML and JSON might read differently, and any error at all. So this
/// path only ever answers what that one would (ManifestFastPathTests holds it to that).
/// </summary>
internal static partial class ManifestFastPath
{
    /// <summary>
    /// A document's JSON, kept for the next file while it is small: one that grew past 85 KB (a slice of a few
    /// hundred endpoints) is a large object, and a new one per file was large-heap garbage at every load.
    /// </summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private const int KeptBufferBytes = 1 << 20;

    /// <summary>The file's objects, or null when it is not of the shape this path reads (or has an error).</summary>
    public static ManifestParseResult? TryParse(string content) => TryParse(new StringReader(content), new ManifestCollector());

    /// <inheritdoc cref="TryParse(string)"/>
    public static ManifestParseResult? TryParse(TextReader content, ManifestCollector read)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>();
        t_buffer = null; // a reentrant call (none today) gets its own
        try
        {
            var parser = new Parser(content);
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                if (!TryReadDocument(parser, buffer, read))
                {
                    return null;
                }

                parser.Consume<DocumentEnd>();
            }

            parser.Consume<StreamEnd>();
        }
#pragma warning disable CA1031 // Any failure is the tree parser's to report, with its line and field.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
        finally
        {
            if (buffer.Capacity <= KeptBufferBytes)
            {
                buffer.ResetWrittenCount();
                t_buffer = buffer;
            }
        }

        return read.Result();
    }

    private static bool TryReadDocument(Parser parser, ArrayBufferWriter<byte> buffer, ManifestCollector read)
    {
        if (parser.Current is Scalar { Style: ScalarStyle.Plain, Value: "" or "~" or "null" } && !HasProperties((NodeEvent)parser.Current))
        {
            parser.MoveNext(); // an empty document
            return true;
        }

        if (parser.Current is not MappingStart root)
        {
            return false;
        }

        var line = (int)root.Start.Line;
        buffer.ResetWrittenCount();
        var top = new TopLevel();
        using (var json = new Utf8JsonWriter(buffer))
        {
            if (!TryWrite(parser, json, top))
            {
                return false;
            }
        }

        if (top.ApiVersion is not { Length: > 0 } apiVersion || top.Kind is not { Length: > 0 } kind || kind == "List")
        {
            return false;
        }

        var text = buffer.WrittenMemory;
        switch ((apiVersion, kind))
        {
            case ("v1", "Namespace"):
                var ns = ObjectStripper.Strip(Deserialize(text, WireJson.Default.NamespaceObject));
                read.Add(new ManifestObject(ObjectKind.Namespace, ns.Key, ns, line));
                break;
            case ("v1", "Service"):
                var service = ObjectStripper.Strip(Deserialize(text, WireJson.Default.ServiceObject));
                read.Add(new ManifestObject(ObjectKind.Service, service.Key, service, line));
                break;
            case ("v1", "Pod"):
                var pod = ObjectStripper.Strip(Deserialize(text, WireJson.Default.PodObject));
                read.Add(new ManifestObject(ObjectKind.Pod, pod.Key, pod, line));
                break;
            case ("discovery.k8s.io/v1", "EndpointSlice"):
                var slice = ObjectStripper.Strip(Deserialize(text, WireJson.Default.EndpointSliceObject));
                read.Add(new ManifestObject(ObjectKind.EndpointSlice, slice.Key, slice, line));
                break;
            default:
                read.Ignore(new IgnoredDocument(apiVersion, kind, line));
                break;
        }

        return true;
    }

    /// <summary>Reads the buffer in place: a copy per document was large-heap garbage for every big slice.</summary>
    private static T Deserialize<T>(ReadOnlyMemory<byte> json, JsonTypeInfo<T> model) =>
        JsonSerializer.Deserialize(json.Span, model) ?? throw new JsonException("null document");

    /// <summary>Writes the node at the parser as JSON; <paramref name="top"/> (the root mapping only) takes apiVersion and kind.</summary>
    private static bool TryWrite(Parser parser, Utf8JsonWriter json, TopLevel? top)
    {
        switch (parser.Current)
        {
            case MappingStart mapping when !HasProperties(mapping):
                parser.MoveNext();
                json.WriteStartObject();
                var keys = new HashSet<string>(StringComparer.Ordinal);
                while (parser.Current is not MappingEnd)
                {
                    // Keys are plain strings, each once: YAML's duplicate is an error there, JSON's "last one wins" here.
                    if (parser.Current is not Scalar key || HasProperties(key) || !keys.Add(key.Value))
                    {
                        return false;
                    }

                    parser.MoveNext();
                    json.WritePropertyName(key.Value);
                    if (top is not null && key.Value is "apiVersion" or "kind" && parser.Current is Scalar value)
                    {
                        top.Set(key.Value, value.Value);
                    }

                    if (!TryWrite(parser, json, null))
                    {
                        return false;
                    }
                }

                parser.MoveNext();
                json.WriteEndObject();
                return true;
            case SequenceStart sequence when !HasProperties(sequence):
                parser.MoveNext();
                json.WriteStartArray();
                while (parser.Current is not SequenceEnd)
                {
                    if (!TryWrite(parser, json, null))
                    {
                        return false;
                    }
                }

                parser.MoveNext();
                json.WriteEndArray();
                return true;
            case Scalar scalar when !HasProperties(scalar):
                parser.MoveNext();
                return TryWriteScalar(scalar, json);
            default:
                return false; // an alias, an anchor or a tag
        }
    }

    /// <summary>
    /// A quoted or block scalar is a string; a plain one is typed as YAML 1.2's core schema types it, where JSON
    /// has the same type (null, true/false, a JSON number). Plain scalars YAML types and JSON does not (True,
    /// NULL, 0x1F, .inf) give up. A string where the model wants a number, or a number where it wants a string,
    /// fails System.Text.Json, which gives up too.
    /// </summary>
    private static bool TryWriteScalar(Scalar scalar, Utf8JsonWriter json)
    {
        if (scalar.Style != ScalarStyle.Plain)
        {
            json.WriteStringValue(scalar.Value);
            return true;
        }

        switch (scalar.Value)
        {
            case "" or "~" or "null":
                json.WriteNullValue();
                return true;
            case "true" or "false":
                json.WriteBooleanValue(scalar.Value == "true");
                return true;
        }

        if (JsonNumber().IsMatch(scalar.Value))
        {
            json.WriteRawValue(scalar.Value, skipInputValidation: true);
            return true;
        }

        if (OtherCoreSchemaValue().IsMatch(scalar.Value))
        {
            return false;
        }

        json.WriteStringValue(scalar.Value);
        return true;
    }

    private static bool HasProperties(NodeEvent node) => !node.Anchor.IsEmpty || !node.Tag.IsEmpty;

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    /// <summary>Core-schema values JSON writes otherwise: other spellings of null and booleans, octal, hex, infinities, NaN, +1.</summary>
    [GeneratedRegex(@"^(Null|NULL|True|TRUE|False|FALSE|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)$")]
    private static partial Regex OtherCoreSchemaValue();

    /// <summary>The root mapping's apiVersion and kind, as plain strings.</summary>
    private sealed class TopLevel
    {
        public string? ApiVersion { get; private set; }

        public string? Kind { get; private set; }

        public void Set(string key, string value)
        {
            if (key == "kind")
            {
                Kind = value;
            }
            else
            {
                ApiVersion = value;
            }
        }
    }
}
