using Microsoft.AspNetCore.Http.HttpResults;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin;

/// <summary>Why an operation was refused; the API answers it as problem+json, the UI shows <see cref="Detail"/>.</summary>
public sealed record Failure(int Status, string Code, string Detail, string? Field = null)
{
    public static Failure Validation(string detail, string? field = null) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, detail, field);

    public static Failure NotFound(string detail) => new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, detail);

    public static Failure Conflict(string code, string detail, string? field = null) => new(StatusCodes.Status409Conflict, code, detail, field);

    public ProblemHttpResult ToProblem() => Problem.Of(Status, Code, Field is null ? Detail : $"{Field}: {Detail}",
        extensions: Field is null ? null : new Dictionary<string, object?> { ["field"] = Field });
}

/// <summary>A value, or the <see cref="Failure"/> that refused it.</summary>
public readonly record struct Outcome<T>(T? Value, Failure? Failure)
{
    public bool Succeeded => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}
