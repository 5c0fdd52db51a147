using SmsBridge.Receiver.Verification;

namespace SmsBridge.Tests.Receiver;

/// <summary>Verification codes in Crockford's Base32: drawn from its alphabet and read back leniently (o→0, i/l→1, any case).</summary>
public sealed class VerificationCodesTests
{
    [Theory]
    [InlineData("ab12cd34", "AB12CD34")]
    [InlineData("oOiIlL00", "00111100")]
    [InlineData("AB12CD3", null)]
    [InlineData("AB12CD345", null)]
    [InlineData("AB12CDU4", null)]
    [InlineData("AB12 D34", null)]
    public void Text_is_read_as_the_canonical_code_of_that_length_or_not_at_all(string text, string? code) =>
        Assert.Equal(code, VerificationCodes.Normalise(text, 8));

    [Fact]
    public void A_generated_code_has_the_length_asked_and_reads_back_as_itself()
    {
        var code = VerificationCodes.Generate(12);
        Assert.Equal(12, code.Length);
        Assert.All(code, c => Assert.Contains(c, VerificationCodes.Alphabet));
        Assert.Equal(code, VerificationCodes.Normalise(code.ToLowerInvariant(), 12));
    }
}
