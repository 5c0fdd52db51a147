using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmsBridge.Backup.Catalogue;

namespace SmsBridge.Backup.CommandLine;

/// <summary>
/// <c>smsbridge-backup</c>: the operator's commands, in the same assembly as the worker and using the same
/// configuration (environment <c>ConnectionStrings__*</c>, <c>Secrets__BackupEncryptionKey</c>, <c>Backup__*</c>).
/// Exit codes: 0 done, 1 failed, 2 refused (bad input, no confirmation), 3 another backup operation is running.
/// </summary>
public static class BackupCommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Refused = 2;
    public const int Busy = 3;

    private static readonly HashSet<string> Entry = ["backup", "list", "verify", "restore", "prune", "decrypt", "-h", "--help", "-?", "--version"];

    /// <summary>Whether the arguments name a command; otherwise the process is the worker service.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && Entry.Contains(args[0]);

    /// <param name="configuration">Extra configuration on top of the environment (tests, or a host without env).</param>
    /// <param name="input">Where the restore confirmation is read from; null when there is no terminal.</param>
    public static async Task<int> InvokeAsync(string[] args, IReadOnlyDictionary<string, string?>? configuration = null,
        TextWriter? output = null, TextReader? input = null)
    {
        // A caller that captures the output (a test, a script host) also decides the input: null means no terminal.
        var context = new CommandContext(configuration, output ?? Console.Out, input ?? (output is null && !Console.IsInputRedirected ? Console.In : null));
        var root = new RootCommand("SMS Bridge backups: encrypted, verified PostgreSQL + Redis backups and their restore. Without a command the process runs the backup worker service.")
        {
            BackupCommands.Backup(context),
            BackupCommands.List(context),
            BackupCommands.Verify(context),
            BackupCommands.Restore(context),
            BackupCommands.Prune(context),
            DecryptCommand.Create(context),
        };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = context.Output, Error = context.Output });
    }
}

/// <summary>What every command needs: configuration, the services built from it, and the terminal.</summary>
public sealed class CommandContext(IReadOnlyDictionary<string, string?>? configuration, TextWriter output, TextReader? input)
{
    public TextWriter Output { get; } = output;

    public TextReader? Input { get; } = input;

    /// <summary>Builds the backup services from configuration and runs <paramref name="action"/>, turning failures into exit codes.</summary>
    public Task<int> RunAsync(Func<IServiceProvider, CancellationToken, Task<int>> action, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var builder = CreateBuilder();
            builder.Services.AddBackups(builder.Configuration);
            using var host = builder.Build();
            return await action(host.Services, cancellationToken);
        });

    /// <summary>
    /// Runs <paramref name="action"/> with the configuration alone: no backup folder, database or Redis is needed
    /// (the <c>decrypt</c> command, for an operator whose services are gone).
    /// </summary>
    public Task<int> RunStandaloneAsync(Func<IConfiguration, CancellationToken, Task<int>> action, CancellationToken cancellationToken) =>
        GuardAsync(() => action(CreateBuilder().Configuration, cancellationToken));

    private HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "SmsBridge.Backup",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        if (configuration is not null) builder.Configuration.AddInMemoryCollection(configuration);
        SmsBridge.ServiceDefaults.Secrets.SecretFiles.AddTo(builder.Configuration); // the worker's secret files, read as it reads them
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    /// <summary>An operator's mistake or a failed operation is one line and an exit code, never a stack trace.</summary>
    private async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (BackupBusyException ex)
        {
            await Output.WriteLineAsync($"busy: {ex.Message}");
            return BackupCommandLine.Busy;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FileNotFoundException or IOException
                                       or UnauthorizedAccessException or Npgsql.NpgsqlException or Dumping.BackupFailedException
                                       or Encryption.BackupIntegrityException or FormatException or InvalidDataException
                                       or System.Text.Json.JsonException)
        {
            await Output.WriteLineAsync($"error: {ex.Message}");
            return BackupCommandLine.Failed;
        }
    }
}
