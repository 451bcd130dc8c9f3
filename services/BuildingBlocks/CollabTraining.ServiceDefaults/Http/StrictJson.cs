using System.Text.Json;
using System.Text.Json.Serialization;
using CollabTraining.Domain;

namespace CollabTraining.ServiceDefaults.Http;

/// <summary>
/// Every string a client sends is trimmed, and refused (a 400 naming the field) when it holds a control or
/// bidirectional-override character. One converter instead of an attribute on every property, so no text
/// field can forget it.
/// </summary>
public sealed class PlainTextJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A text value was expected, not {reader.TokenType.ToString().ToLowerInvariant()}.");
        }

        var text = reader.GetString()!.Trim();
        return PlainText.FirstForbidden(text) is { } c
            ? throw new JsonException($"The text holds the control character U+{(int)c:X4}, which is not allowed.")
            : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>The all-zero GUID names nothing: an id a client sends must be a real one.</summary>
public sealed class IdJsonConverter : JsonConverter<Guid>
{
    public override Guid Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetGuid(out var id))
        {
            throw new JsonException("An id (a GUID such as 0195f3a2-7c1e-7d4b-9a51-3f0c2e8b1d47) was expected.");
        }

        return Check(id);
    }

    public override void Write(Utf8JsonWriter writer, Guid value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override Guid ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Guid.TryParse(reader.GetString(), out var id) ? Check(id) : throw new JsonException("An id (a GUID) was expected as the key.");

    public override void WriteAsPropertyName(Utf8JsonWriter writer, Guid value, JsonSerializerOptions options) => writer.WritePropertyName(value.ToString());

    private static Guid Check(Guid id) =>
        id == Guid.Empty ? throw new JsonException("The all-zero GUID is not an id.") : id;
}

public static class StrictJson
{
    /// <summary>What every service's request and response JSON follows: plain text, real ids, enums by name, numbers as numbers.</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        // A number sent as a string is a wrong type (the web defaults would read it); seeds opt in per property.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new PlainTextJsonConverter());
        options.Converters.Add(new IdJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
    }
}
