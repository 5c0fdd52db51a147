namespace SmsBridge.Admin;

/// <summary>
/// The secrets the admin service cannot run without: in Production an absent one stops the start (AddServiceDefaults), and
/// doctor's <c>secrets.weak</c> names it. The AppHost gives exactly these (a test compares them with the manifest).
/// </summary>
public static class AdminRequiredSecrets
{
    public static readonly string[] Settings = ["Secrets:AdminPassword", "ConnectionStrings:smsbridge", "ConnectionStrings:cache"];
}
