using System.Text.Json.Nodes;

namespace SpeechEmotion.Web;

/// <summary>
/// The OpenAPI 3.0 description of the API, written by hand from the endpoints in <see cref="ApiEndpoints"/>
/// (a test checks that every mapped route is described). Served at GET /api/v1/openapi.json.
/// </summary>
internal static class OpenApiDocument
{
    private static JsonObject Ref(string name) => new() { ["$ref"] = $"#/components/schemas/{name}" };
    private static JsonObject Problem(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = Ref("Problem") } },
    };
    private static JsonObject Ok(string description, JsonObject schema) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
    };
    private static JsonObject Num(string d) => new() { ["type"] = "number", ["description"] = d };

    internal static readonly string Json = Build().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

    private static JsonObject Build()
    {
        var prediction = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["label"] = new JsonObject { ["type"] = "string" },
                ["confidence"] = Num("Probability of label, 0..1"),
                ["probabilities"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = Num("0..1") },
                ["arousal"] = new JsonObject { ["type"] = "number", ["nullable"] = true },
                ["valence"] = new JsonObject { ["type"] = "number", ["nullable"] = true },
                ["duration"] = Num("seconds"),
            },
        };
        var segment = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["start"] = Num("seconds"), ["end"] = Num("seconds"), ["prediction"] = Ref("Prediction") },
        };
        var recognize = new JsonObject
        {
            ["allOf"] = new JsonArray(Ref("Prediction"), new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["sampleRate"] = new JsonObject { ["type"] = "integer" },
                    ["timeline"] = new JsonObject { ["type"] = "array", ["nullable"] = true, ["items"] = Ref("TimelineSegment") },
                },
            }),
        };
        var problem = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["title"] = new JsonObject { ["type"] = "string" }, ["detail"] = new JsonObject { ["type"] = "string" },
                ["status"] = new JsonObject { ["type"] = "integer" },
            },
        };
        var common = new Func<JsonObject>(() => new JsonObject
        {
            ["401"] = Problem("Missing or wrong API key (when the server has one)"),
            ["429"] = Problem("Too many requests (rate or concurrency limit); see Retry-After"),
        });
        JsonObject With(JsonObject responses)
        {
            foreach (var (k, v) in common()) responses[k] = v!.DeepClone();
            return responses;
        }
        var wav = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } };
        var content = new JsonObject();
        foreach (var t in ApiEndpoints.AudioTypes) content[t] = wav.DeepClone();
        content["multipart/form-data"] = new JsonObject
        {
            ["schema"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["file"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } },
            },
        };
        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = "SpeechEmotion API", ["version"] = ApiEndpoints.Version },
            ["components"] = new JsonObject
            {
                ["schemas"] = new JsonObject
                {
                    ["Prediction"] = prediction, ["TimelineSegment"] = segment, ["Recognition"] = recognize, ["Problem"] = problem,
                },
                ["securitySchemes"] = new JsonObject
                {
                    ["apiKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "X-API-Key" },
                },
            },
            ["paths"] = new JsonObject
            {
                ["/api/v1/health"] = new JsonObject
                {
                    ["get"] = new JsonObject { ["summary"] = "Liveness; never needs the API key", ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "Up" } } },
                },
                ["/api/v1/model"] = new JsonObject
                {
                    ["get"] = new JsonObject { ["summary"] = "Labels, sample rate, limits and the model card", ["responses"] = With(new JsonObject { ["200"] = new JsonObject { ["description"] = "The model" } }) },
                },
                ["/api/v1/recognize"] = new JsonObject
                {
                    ["post"] = new JsonObject
                    {
                        ["summary"] = "Recognise the emotion of a WAV clip (raw body or multipart 'file'); long clips also get a timeline",
                        ["requestBody"] = new JsonObject { ["required"] = true, ["content"] = content },
                        ["responses"] = With(new JsonObject
                        {
                            ["200"] = Ok("The recognition", Ref("Recognition")),
                            ["400"] = Problem("Empty, malformed or undecodable body"),
                            ["413"] = Problem("Body or audio duration over the limit"),
                            ["415"] = Problem("Content type other than WAV or multipart/form-data"),
                            ["422"] = Problem("Audio that cannot be recognised (silent, too short)"),
                            ["504"] = Problem("Recognition took longer than the request timeout"),
                        }),
                    },
                },
                ["/api/v1/stream"] = new JsonObject
                {
                    ["get"] = new JsonObject
                    {
                        ["summary"] = "WebSocket: send binary 16-bit LE mono PCM at the model's rate and the text 'end'; receive {type:'result'} per window and {type:'final'} with the timeline",
                        ["parameters"] = new JsonArray(
                            new JsonObject { ["name"] = "rate", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "integer" } },
                            new JsonObject { ["name"] = "api_key", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                        ["responses"] = With(new JsonObject { ["101"] = new JsonObject { ["description"] = "Switching protocols" }, ["400"] = Problem("Not a WebSocket request or wrong rate") }),
                    },
                },
                ["/api/v1/openapi.json"] = new JsonObject
                {
                    ["get"] = new JsonObject { ["summary"] = "This document", ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OpenAPI 3.0" } } },
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["apiKey"] = new JsonArray() }),
        };
    }
}
