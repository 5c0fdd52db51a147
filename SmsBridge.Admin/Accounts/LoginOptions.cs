namespace SmsBridge.Admin.Accounts;

/// <summary>Bound from <c>Admin:Login</c>.</summary>
public sealed class LoginOptions
{
    /// <summary>Failures (wrong passwords and wrong second-factor codes) within <see cref="LockoutWindow"/> that lock an account.</summary>
    public int MaxFailures { get; set; } = 5;

    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed logins per source address per minute before that address is throttled (429).</summary>
    public int FailuresPerMinutePerAddress { get; set; } = 30;

    /// <summary>Login form posts per source address per minute.</summary>
    public int FormPostsPerMinutePerAddress { get; set; } = 20;

    /// <summary>Every operator account must enrol a second factor: until it has, a sign-in can do nothing but enrol.</summary>
    public bool RequireSecondFactor { get; set; }

    /// <summary>How long a correct password waits for its second-factor code before the sign-in starts over.</summary>
    public TimeSpan CodeStepLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
