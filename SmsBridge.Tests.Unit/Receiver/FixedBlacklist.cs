using SmsBridge.Data.Blacklist;

namespace SmsBridge.Tests.Receiver;

/// <summary>A blacklist that holds the mobiles it was given and never changes.</summary>
internal sealed class FixedBlacklist(params string[] mobiles) : IBlacklist
{
    public bool Contains(string mobile) => mobiles.Contains(mobile, StringComparer.Ordinal);
}
