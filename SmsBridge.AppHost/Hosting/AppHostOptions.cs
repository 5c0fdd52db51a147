namespace SmsBridge.AppHost.Hosting;

public sealed class AppHostOptions
{
    /// <summary>Where PostgreSQL, Redis, secrets and logs live between runs (git-ignored).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The repository root, where the project folders are.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Debug or Release: which build output of the projects to launch.</summary>
    public string Configuration { get; init; } = BuildInfo.Configuration;

    /// <summary>Echo every resource's output to the console with a resource prefix (run mode).</summary>
    public bool StreamLogs { get; init; }

    /// <summary>Skip fsync in PostgreSQL: safe against process kills, not against power loss; tests only.</summary>
    public bool FastUnsafeStorage { get; init; }

    /// <summary>ASPNETCORE_ENVIRONMENT for the projects.</summary>
    public string Environment { get; init; } = "Development";

    /// <summary>The unprivileged account infrastructure and services run as when the AppHost is root.</summary>
    public string ServiceUser { get; init; } = "smsbridge";

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Remove the data folder when the application is disposed (test runs).</summary>
    public bool DeleteDataOnDispose { get; init; }

    /// <summary>The OTLP endpoint services export to; null leaves export off.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>OTEL_EXPORTER_OTLP_HEADERS for the services (the dashboard's API key).</summary>
    public string? OtlpHeaders { get; set; }

    /// <summary>Serve the developer dashboard (run mode; tests only when asked) and make it the OTLP endpoint.</summary>
    public bool Dashboard { get; init; }

    /// <summary>The dashboard's port on 127.0.0.1; null picks a free one.</summary>
    public int? DashboardPort { get; init; }
}

internal static class BuildInfo
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif
}
