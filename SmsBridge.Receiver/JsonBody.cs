using System.Text.Json;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Receiver;

/// <summary>Reads a request body into a snake_case record, turning every client mistake into the contract's problem.</summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
    };

    public static async Task<(T? Value, ProblemHttpResult? Error)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problem.Validation("Content-Type must be application/json."));
        }

        var (bytes, error) = await ReadBytesAsync(request);
        if (error is not null) return (null, error);
        return Parse<T>(bytes!);
    }

    /// <summary>
    /// A body that may be JSON or an HTML form (gateway apps post either) into the same snake_case record, with the raw bytes
    /// kept verbatim. A form's fields are read as JSON strings, so both encodings meet the same rules and the same problems.
    /// </summary>
    public static async Task<(T? Value, byte[]? Raw, ProblemHttpResult? Error)> ReadJsonOrFormAsync<T>(HttpRequest request) where T : class
    {
        var (bytes, error) = await ReadBytesAsync(request);
        if (error is not null) return (null, null, error);
        if (request.HasJsonContentType())
        {
            var (value, parseError) = Parse<T>(bytes!);
            return (value, bytes, parseError);
        }

        if (!request.HasFormContentType)
        {
            return (null, null, Problem.Validation("Content-Type must be application/json or application/x-www-form-urlencoded."));
        }

        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form;
        try
        {
            form = QueryHelpers.ParseQuery(new UTF8Encoding(false, true).GetString(bytes!));
        }
        catch (DecoderFallbackException)
        {
            return (null, null, Problem.Validation("The form is not valid UTF-8."));
        }

        var (fromForm, formError) = Parse<T>(JsonSerializer.SerializeToUtf8Bytes(form.ToDictionary(f => f.Key, f => f.Value.ToString())));
        return (fromForm, bytes, formError);
    }

    public static (T? Value, ProblemHttpResult? Error) Parse<T>(byte[] bytes) where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, Options);
            return value is null ? (null, Problem.Validation("The body must be a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            return (null, Problem.Validation(field is null ? "The body is not valid JSON." : $"'{field}' has the wrong type or format.", field));
        }
    }

    /// <summary>The raw body, or 413 when it is over the server's limit.</summary>
    public static async Task<(byte[]? Bytes, ProblemHttpResult? Error)> ReadBytesAsync(HttpRequest request)
    {
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            return (buffer.ToArray(), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problem.Of(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, "The request body is too large."));
        }
    }
}
