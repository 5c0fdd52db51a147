using System.Security.Cryptography;
using System.Text;

namespace SmsBridge.Admin.Accounts.SecondFactor;

/// <summary>
/// Ten single-use recovery codes per enrolment: 16 Crockford Base32 characters (80 random bits) shown as
/// <c>XXXX-XXXX-XXXX-XXXX</c>, read leniently (any case, hyphens and spaces ignored, O→0, I/L→1). With 80 random bits an
/// unsalted SHA-256 is enough for storage: there is nothing to guess from the hash.
/// </summary>
public static class RecoveryCodes
{
    public const int PerEnrolment = 10;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Length = 16;

    public static IReadOnlyList<string> Generate() => Enumerable.Range(0, PerEnrolment).Select(_ =>
    {
        var chars = RandomNumberGenerator.GetItems<char>(Alphabet, Length);
        return string.Join('-', Enumerable.Range(0, Length / 4).Select(g => new string(chars, g * 4, 4)));
    }).ToList();

    /// <summary>The canonical form of what an operator typed, or null when it cannot be a recovery code.</summary>
    public static string? Normalise(string typed)
    {
        var builder = new StringBuilder(Length);
        foreach (var c in typed.ToUpperInvariant())
        {
            if (c is '-' or ' ') continue;
            var mapped = c switch { 'O' => '0', 'I' or 'L' => '1', _ => c };
            if (!Alphabet.Contains(mapped, StringComparison.Ordinal)) return null;
            builder.Append(mapped);
        }

        return builder.Length == Length ? builder.ToString() : null;
    }

    public static byte[] Hash(string code) => SHA256.HashData(Encoding.ASCII.GetBytes(Normalise(code) ?? throw new ArgumentException("not a recovery code", nameof(code))));
}
