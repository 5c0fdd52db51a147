namespace SmsBridge.Data.Blacklist;

/// <summary>Whether a mobile is blacklisted, as the validation pipeline asks it (<see cref="BlacklistCache"/> in production).</summary>
public interface IBlacklist
{
    bool Contains(string mobile);
}
