using Microsoft.AspNetCore.Http.HttpResults;

namespace SmsBridge.Admin;

public static class ApiResults
{
    /// <summary>200 with the value, or the failure's problem body.</summary>
    public static Results<Ok<TView>, ProblemHttpResult> OkOr<T, TView>(this Outcome<T> outcome, Func<T, TView> view) =>
        outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(view(outcome.Value!));

    /// <summary>201 with the value and where it can be read, or the failure's problem body.</summary>
    public static Results<Created<TView>, ProblemHttpResult> CreatedOr<T, TView>(this Outcome<T> outcome, Func<T, string> location,
        Func<T, TView> view) =>
        outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Created(location(outcome.Value!), view(outcome.Value!));

    public static int Limit(int? requested, int fallback, int max) => Math.Clamp(requested ?? fallback, 1, max);
}
