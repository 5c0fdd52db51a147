namespace SmsBridge.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds, failing with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition()) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for: {what}");
            await Task.Delay(200);
        }
    }

    /// <summary>Polls until <paramref name="find"/> returns a value, failing with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<T> ValueAsync<T>(Func<T?> find, TimeSpan timeout, string what) where T : class
    {
        T? found = null;
        await TrueAsync(() => Task.FromResult((found = find()) is not null), timeout, what);
        return found!;
    }
}
