using System.Security.Cryptography;
using System.Text;

namespace SmsBridge.Receiver.Security;

public static class SecretComparer
{
    /// <summary>
    /// Constant-time equality that also hides the expected length: both sides are hashed first, so the
    /// comparison always covers 32 bytes whatever was sent.
    /// </summary>
    public static bool Matches(string? presented, string expected)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(expected)) return false;
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
