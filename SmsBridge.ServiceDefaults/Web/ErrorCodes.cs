namespace SmsBridge.ServiceDefaults.Web;

/// <summary>The contract's stable machine codes (the <c>code</c> member of every problem+json body).</summary>
public static class ErrorCodes
{
    public const string ValidationError = "VALIDATION_ERROR";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string ForbiddenSource = "FORBIDDEN_SOURCE";
    public const string CountryNotAllowed = "COUNTRY_NOT_ALLOWED";
    public const string DuplicateMobile = "DUPLICATE_MOBILE";
    public const string RateLimited = "RATE_LIMITED";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string NotVerified = "NOT_VERIFIED";
    public const string HashMismatch = "HASH_MISMATCH";
    public const string AlreadyCompleted = "ALREADY_COMPLETED";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string Conflict = "CONFLICT";
    public const string InternalError = "INTERNAL_ERROR";

    // Admin API.
    public const string AccountLocked = "ACCOUNT_LOCKED";
    public const string AlreadyExists = "ALREADY_EXISTS";
    public const string PortAlreadyOpen = "PORT_ALREADY_OPEN";
    public const string PortsOpen = "PORTS_OPEN";
    public const string PortInUse = "PORT_IN_USE";
    public const string MonitoringServiceUnavailable = "MONITORING_SERVICE_UNAVAILABLE";
    public const string ConfirmationInvalid = "CONFIRMATION_INVALID";
    public const string SecondFactorRequired = "SECOND_FACTOR_REQUIRED";
    public const string SecondFactorEnrolmentRequired = "SECOND_FACTOR_ENROLMENT_REQUIRED";

    /// <summary>The code for a status the framework produced on its own (routing, body limits).</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => ValidationError,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => ServiceUnavailable,
        _ => status >= 500 ? InternalError : ValidationError,
    };
}
