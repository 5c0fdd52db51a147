using Microsoft.AspNetCore.Http.HttpResults;

namespace SmsBridge.Admin;

public static class ApiResults
{
    /// <summary>200 with the value, or the failure's problem body.</summary>
    public static Results<Ok<TView>, ProblemHttpResult> OkOr<T, TView>(this Outcome<T> outcome, Func<T, TView> view) =>
        outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(view(outcome.Value!));

    public static int Limit(int? requested, int fallback, int max) => Math.Clamp(requested ?? fallback, 1, max);
}
