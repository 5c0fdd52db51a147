namespace SmsBridge.Admin.Blacklist;

public sealed record BlacklistEntry(string MobileNumber, string Reason, DateTimeOffset CreatedAt, string CreatedBy);
