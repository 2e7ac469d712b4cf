using System.Text;
using System.Text.Json;
using k8s;

namespace KubeDns.ScaleBenchmark.Files;

/// <summary>
/// A model object as block-style YAML, the way people keep manifests: its JSON (KubernetesJson) written out as
/// mappings and sequences by indentation, strings double-quoted (JSON's escapes are YAML's), other scalars plain.
/// </summary>
internal static class BlockYaml
{
    public static void Append(StringBuilder text, object value)
    {
        using var document = JsonDocument.Parse(KubernetesJson.Serialize(value));
        Write(text, document.RootElement, 0);
    }

    private static void Write(StringBuilder text, JsonElement element, int indent)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    text.Append(' ', indent).Append(property.Name).Append(':');
                    Value(text, property.Value, indent + 2);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    text.Append(' ', indent).Append('-');
                    Value(text, item, indent + 2);
                }

                break;
        }
    }

    /// <summary>After a key or a dash: a scalar or an empty collection on the same line, else the collection below it.</summary>
    private static void Value(StringBuilder text, JsonElement value, int indent)
    {
        var empty = value.ValueKind switch
        {
            JsonValueKind.Object => !value.EnumerateObject().Any() ? "{}" : null,
            JsonValueKind.Array => value.GetArrayLength() == 0 ? "[]" : null,
            _ => value.GetRawText(),
        };
        if (empty is not null)
        {
            text.Append(' ').Append(empty).Append('\n');
            return;
        }

        text.Append('\n');
        Write(text, value, indent);
    }
}
