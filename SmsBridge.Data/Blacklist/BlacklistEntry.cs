namespace SmsBridge.Data.Blacklist;

/// <summary>One blacklisted mobile, why, and who put it there.</summary>
public sealed record BlacklistEntry(string MobileNumber, string Reason, DateTimeOffset CreatedAt, string CreatedBy);
