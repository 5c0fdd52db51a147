using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace SmsBridge.Tests.Admin;

/// <summary>
/// One running graph for the admin API, UI and port tests: the admin service binds its forwarders on loopback, the
/// monitoring ports are moved to free ports, and a viewer account is created with the real <c>create-admin</c> CLI.
/// Each test uses its own data (mobiles, services); tests that break the admin service start their own graph.
/// </summary>
public sealed class AdminGraphFixture : IAsyncLifetime
{
    public const string ViewerName = "viewer-tests";
    public const string ViewerPassword = "viewer-password-123";

    public DistributedApplication App { get; private set; } = null!;

    public string AdminPassword => App.Secret("admin-password");

    public string RedisPassword => App.Secret("cache-password");

    public string DatabaseConnectionString { get; private set; } = null!;

    public NpgsqlDataSource Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await StartAsync();
        DatabaseConnectionString = (await App.GetConnectionStringAsync("smsbridge"))!;
        Database = NpgsqlDataSource.Create(DatabaseConnectionString);
        await AdminTestKit.UseFreeMonitoringPortsAsync(CreateClient());
        var (exit, _, error) = await RunCliAsync(App, DatabaseConnectionString, ViewerPassword,
            "create-admin", "--username", ViewerName, "--role", "viewer");
        Assert.True(exit == 0, "create-admin for the viewer failed: " + error);
    }

    /// <summary>A graph whose admin service binds its monitoring forwarders on loopback only.</summary>
    public static Task<DistributedApplication> StartAsync(Action<IDistributedApplicationTestingBuilder>? configure = null) =>
        TestGraph.StartAsync(builder =>
        {
            builder.Project("admin").WithEnvironment("Monitoring__BindAddress", "127.0.0.1");
            configure?.Invoke(builder);
        });

    public HttpClient CreateClient(string? user = "admin", string? password = null)
    {
        var client = App.CreateHttpClient("admin", "http");
        if (user is not null)
        {
            password ??= user == ViewerName ? ViewerPassword : AdminPassword;
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return client;
    }

    /// <summary>A new operator account made with the real <c>create-admin</c> CLI (or, with <c>--update</c>, changed).</summary>
    public async Task CreateAccountAsync(string username, string password, string role = "admin", params string[] extra)
    {
        var (exit, _, error) = await RunCliAsync(App, DatabaseConnectionString, password, ["create-admin", "--username", username, "--role", role, .. extra]);
        Assert.True(exit == 0, $"create-admin {username}: {error}");
    }

    /// <summary>Runs the built admin DLL with a command line, as an operator would.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunCliAsync(DistributedApplication app, string? connectionString,
        string? password, params string[] args)
    {
        var dll = Path.Combine(Repo.Root, "SmsBridge.Admin", "bin", Repo.Configuration, "net10.0", "SmsBridge.Admin.dll");
        var environment = new Dictionary<string, string?> { ["SMSBRIDGE_ADMIN_PASSWORD"] = null };
        if (connectionString is not null) environment["ConnectionStrings__smsbridge"] = connectionString;
        var result = await ExternalProgram.CaptureAsync(new ProgramInvocation("dotnet", [dll, .. args])
        {
            Environment = environment,
            StandardInput = password is null ? null : password + Environment.NewLine,
            // Generous: doctor's checks probe every service, and a CI machine running four test assemblies is slow.
            Timeout = TimeSpan.FromSeconds(120),
        });
        return (result.ExitCode, result.Output, result.Error);
    }

    public async Task DisposeAsync()
    {
        if (Database is not null) await Database.DisposeAsync();
        await App.DisposeAsync();
    }
}

/// <remarks>xunit reads [CollectionDefinition] only in the test assembly: each one using it derives a definition.</remarks>
public abstract class AdminGraphCollection : ICollectionFixture<AdminGraphFixture>
{
    public const string Name = "admin-graph";
}
