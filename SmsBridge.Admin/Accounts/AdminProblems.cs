using Microsoft.AspNetCore.Http.HttpResults;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin.Accounts;

/// <summary>Problem bodies the admin service answers with besides the shared ones.</summary>
public static class AdminProblems
{
    public static ProblemHttpResult Forbidden() =>
        Problem.Of(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "This needs the admin role; viewers can only read.");

    public static ProblemHttpResult Forbidden(string detail) => Problem.Of(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, detail);

    public static ProblemHttpResult EnrolmentRequired() => Problem.Of(StatusCodes.Status403Forbidden, ErrorCodes.SecondFactorEnrolmentRequired,
        "This installation requires a second factor: enrol one first (POST /admin/account/second-factor, or Account in the web UI).");

    public static ProblemHttpResult NotFound(string detail) => Problem.Of(StatusCodes.Status404NotFound, ErrorCodes.NotFound, detail);

    public static ProblemHttpResult Conflict(string code, string detail, IDictionary<string, object?>? extensions = null) =>
        Problem.Of(StatusCodes.Status409Conflict, code, detail, extensions: extensions);
}
