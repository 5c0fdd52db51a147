using SmsBridge.Receiver.Delivery;

namespace SmsBridge.Tests.Delivery;

/// <summary>Retry delays: exponential with full jitter under a cap, and a backend's Retry-After honoured up to the cap.</summary>
public sealed class BackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Cap = TimeSpan.FromMinutes(10);

    /// <summary>A Random whose draw is chosen, so the jitter's bounds can be seen.</summary>
    private sealed class FixedDraw(double value) : Random
    {
        public override double NextDouble() => value;
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(5, 32)]
    [InlineData(12, 600)]
    [InlineData(1000, 600)]
    public void The_ceiling_doubles_per_attempt_up_to_the_cap(int attempt, int ceilingSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(ceilingSeconds), Backoff.Next(attempt, Base, Cap, null, new FixedDraw(1.0)));
        Assert.Equal(TimeSpan.Zero, Backoff.Next(attempt, Base, Cap, null, new FixedDraw(0.0)));
        Assert.Equal(TimeSpan.FromSeconds(ceilingSeconds / 2.0), Backoff.Next(attempt, Base, Cap, null, new FixedDraw(0.5)));
    }

    [Fact]
    public void Retry_after_is_waited_as_asked_but_never_past_the_cap()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Backoff.Next(1, Base, Cap, TimeSpan.FromSeconds(30), new FixedDraw(0.0)));
        Assert.Equal(Cap, Backoff.Next(1, Base, Cap, TimeSpan.FromHours(2), new FixedDraw(0.0)));
        Assert.Equal(TimeSpan.FromSeconds(1), Backoff.Next(1, Base, Cap, TimeSpan.Zero, new FixedDraw(0.5)));
    }
}
