using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeDns.Cluster.Manifests;

/// <summary>
/// One object of a YAML tree read into a JSON model (the server's is <see cref="Wire.WireJson"/>, as the API
/// source and <see cref="ManifestFastPath"/> read), typed by the model as a YAML deserialiser would: a plain
/// scalar is first written as YAML's core schema types it (number, boolean, null, else string); where the model
/// wants the other type at that place (<c>name: 80</c>, <c>port: "80"</c>), System.Text.Json names the path, that
/// scalar is written the other way, and the read is tried again. A scalar that fits neither way is the error,
/// with the line of the original file and the field path.
/// </summary>
internal static partial class YamlTreeJson
{
    /// <summary>More retypings than this in one object is not a manifest a person wrote.</summary>
    private const int MaxRetypings = 256;

    public static (T? Value, int Line, string? Path, string? Reason) Read<T>(YamlMappingNode node, JsonTypeInfo<T> model)
    {
        var retyped = new HashSet<YamlScalarNode>(ReferenceEqualityComparer.Instance);
        var buffer = new ArrayBufferWriter<byte>();
        for (var attempt = 0; ; attempt++)
        {
            buffer.Clear();
            using (var json = new Utf8JsonWriter(buffer))
            {
                Write(node, json, retyped);
            }

            try
            {
                return (JsonSerializer.Deserialize(buffer.WrittenSpan, model), 0, null, null);
            }
            catch (JsonException ex)
            {
                var path = FieldPath(ex.Path);
                var at = Find(node, path);
                if (at is YamlScalarNode scalar && attempt < MaxRetypings && retyped.Add(scalar))
                {
                    continue;
                }

                var line = (int)(at ?? node).Start.Line;
                var value = at is YamlScalarNode { Value: { } text } ? $"'{text}' " : string.Empty;
                return (default, line, string.Join('.', path).Replace(".[", "[", StringComparison.Ordinal), $"{value}{Expected(ex.Message)}");
            }
        }
    }

    private static void Write(YamlNode node, Utf8JsonWriter json, HashSet<YamlScalarNode> retyped)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                json.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    json.WritePropertyName((key as YamlScalarNode)?.Value ?? string.Empty);
                    Write(value, json, retyped);
                }

                json.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                json.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    Write(item, json, retyped);
                }

                json.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(scalar, json, retyped.Contains(scalar));
                break;
        }
    }

    /// <summary>The core schema's type for a plain scalar, a string for any other; <paramref name="retype"/> swaps the two.</summary>
    private static void WriteScalar(YamlScalarNode scalar, Utf8JsonWriter json, bool retype)
    {
        var text = scalar.Value ?? string.Empty;
        var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Tag.IsEmpty;
        if (plain != retype && TypedValue(text) is { } typed)
        {
            json.WriteRawValue(typed, skipInputValidation: true);
        }
        else
        {
            json.WriteStringValue(text);
        }
    }

    /// <summary>The JSON literal the core schema reads <paramref name="text"/> as, or null for a string.</summary>
    private static string? TypedValue(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => "null",
        "true" or "True" or "TRUE" => "true",
        "false" or "False" or "FALSE" => "false",
        _ when JsonNumber().IsMatch(text) => text,
        _ => null,
    };

    /// <summary>"$.spec.ports[1].port" (System.Text.Json's path) as segments: "spec", "ports", "[1]", "port".</summary>
    private static List<string> FieldPath(string? jsonPath)
    {
        var segments = new List<string>();
        foreach (Match match in PathSegment().Matches(jsonPath ?? string.Empty))
        {
            segments.Add(match.Groups["index"].Success ? $"[{match.Groups["index"].Value}]" : match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["name"].Value);
        }

        return segments;
    }

    private static YamlNode? Find(YamlNode node, List<string> path)
    {
        foreach (var segment in path)
        {
            node = (node, segment) switch
            {
                (YamlSequenceNode list, ['[', .. var index, ']']) when int.TryParse(index, out var i) && i < list.Children.Count => list.Children[i],
                (YamlMappingNode map, _) when map.Children.TryGetValue(new YamlScalarNode(segment), out var child) => child,
                _ => node,
            };
        }

        return node;
    }

    /// <summary>"The JSON value could not be converted to System.Int32. Path: ..." as "is not a valid Int32".</summary>
    private static string Expected(string message) =>
        ConvertedTo().Match(message) is { Success: true } match ? $"is not a valid {match.Groups[1].Value.Split('.')[^1].TrimEnd(']')}" : "has the wrong type or shape";

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    [GeneratedRegex(@"\[(?<index>\d+)\]|\['(?<quoted>[^']*)'\]|\.(?<name>[^.\[]+)")]
    private static partial Regex PathSegment();

    [GeneratedRegex(@"could not be converted to ([^\s.]+(\.[^\s.]+)*)")]
    private static partial Regex ConvertedTo();
}
