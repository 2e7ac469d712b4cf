using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeDns.Cluster.Wire;

/// <summary>
/// intstr.IntOrString (a Service's targetPort): a JSON number or string, held as its text; anything else is
/// invalid content, as for KubernetesClient's converter.
/// </summary>
public sealed class IntOrStringConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number when reader.TryGetInt32(out var number) => number.ToString(CultureInfo.InvariantCulture),
        _ => throw new JsonException($"an IntOrString is a whole number or a string, not {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
