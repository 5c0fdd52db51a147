namespace SmsBridge.Tests.Admin;

/// <summary>
/// One graph whose admin runs the stricter login policies, which would change every other admin test: a second factor
/// required of every operator, and a login form budget of <see cref="FormPostsPerMinute"/> posts a minute per address.
/// The admin believes X-Forwarded-For from loopback, so a test can spend the budget of an address of its own.
/// </summary>
public sealed class AdminPolicyGraphFixture : IAsyncLifetime
{
    public const int FormPostsPerMinute = 3;

    public DistributedApplication App { get; private set; } = null!;

    public async Task InitializeAsync() =>
        App = await AdminGraphFixture.StartAsync(b => b.Project("admin")
            .WithEnvironment("Admin__Login__RequireSecondFactor", "true")
            .WithEnvironment("Admin__Login__FormPostsPerMinutePerAddress", FormPostsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("ForwardedHeaders__TrustedProxies__0", "127.0.0.1/32"));

    public async Task DisposeAsync() => await App.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AdminPolicyGraphCollection : ICollectionFixture<AdminPolicyGraphFixture>
{
    public const string Name = "admin policy graph";
}
