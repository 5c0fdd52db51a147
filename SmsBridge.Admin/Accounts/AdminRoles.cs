namespace SmsBridge.Admin.Accounts;

/// <summary>The two operator roles: viewers read everything, admins also change things.</summary>
public static class AdminRoles
{
    public const string Admin = "admin";
    public const string Viewer = "viewer";

    /// <summary>Authorization policy names: any operator may read; only admins may write.</summary>
    public const string CanRead = "can-read";
    public const string CanWrite = "can-write";

    public static bool IsKnown(string? role) => role is Admin or Viewer;
}
