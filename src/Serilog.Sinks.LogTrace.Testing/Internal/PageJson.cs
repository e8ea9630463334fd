using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Serilog.Sinks.LogTrace.Testing.Internal;

// The listings and the page's feed, serialized without reflection (trimmed and NativeAOT applications host this server
// too). Their values are object-typed: every type a value can have at run time is listed here, or it fails to serialize.
[JsonSourceGenerationOptions(WriteIndented = true, MaxDepth = ServiceRoutes.MaxJsonDepth + 8)]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(Dictionary<string, object?>[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonValue))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(string[][]))]
internal sealed partial class PageJson : JsonSerializerContext;
