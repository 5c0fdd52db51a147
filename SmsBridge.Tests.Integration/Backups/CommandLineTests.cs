using System.Diagnostics;
using SmsBridge.Backup.CommandLine;

namespace SmsBridge.Tests.Backups;

[Collection(BackupGraphCollection.Name)]
public sealed class CommandLineTests(BackupGraphFixture graph)
{
    [Fact]
    public async Task The_cli_backs_up_lists_prunes_and_refuses_an_unconfirmed_restore()
    {
        await using var services = graph.CreateServices();
        var configuration = services.Configuration;

        var (code, output) = await RunAsync(["backup", "now"], configuration);
        Assert.True(code == BackupCommandLine.Ok, output);
        Assert.Contains("verified", output, StringComparison.Ordinal);
        Assert.Contains("amcheck", output, StringComparison.Ordinal);
        var id = Directory.GetDirectories(services.Directory).Select(Path.GetFileName).Single(n => !n!.StartsWith('.'))!;

        (code, output) = await RunAsync(["list"], configuration);
        Assert.Equal(BackupCommandLine.Ok, code);
        Assert.Matches($@"{id}\s+manual\s+.*verified", output);

        (code, output) = await RunAsync(["prune", "--dry-run"], configuration);
        Assert.Equal(BackupCommandLine.Ok, code);
        Assert.Contains($"keep   {id}", output, StringComparison.Ordinal);
        Assert.Contains("0 would be deleted (dry run)", output, StringComparison.Ordinal);

        var before = await BackupTestData.ChecksumsAsync(graph.OwnerConnection);
        (code, output) = await RunAsync(["restore", id, "--target", "smsbridge"], configuration);
        Assert.Equal(BackupCommandLine.Refused, code);
        Assert.Contains("--confirm smsbridge", output, StringComparison.Ordinal);

        (code, output) = await RunAsync(["restore", id, "--target", "smsbridge"], configuration, new StringReader("smsbridg\n"));
        Assert.Equal(BackupCommandLine.Refused, code);
        Assert.Contains("nothing was changed", output, StringComparison.Ordinal);

        (code, output) = await RunAsync(["restore", id, "--target", "smsbridge", "--confirm", "postgres"], configuration);
        Assert.Equal(BackupCommandLine.Refused, code);
        Assert.Equal(before, await BackupTestData.ChecksumsAsync(graph.OwnerConnection));
        Assert.Single(Directory.GetDirectories(services.Directory), d => !Path.GetFileName(d).StartsWith('.'));

        (code, output) = await RunAsync(["verify", "20990101T000000Z-dead"], configuration);
        Assert.Equal(BackupCommandLine.Failed, code);
        Assert.Contains("was not found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_of_the_built_executable_has_help()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "SmsBridge.Backup.dll");
        foreach (var command in new[] { "", "backup", "backup now", "list", "verify", "restore", "prune", "decrypt" })
        {
            var help = await ExternalProgram.CaptureAsync(
                new ProgramInvocation("dotnet", [dll, .. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]) { Timeout = TimeSpan.FromSeconds(60) });
            Assert.True(help.Succeeded, $"'{command} --help' exited {help.ExitCode}");
            Assert.Contains("Usage:", help.Output, StringComparison.Ordinal);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] args, IReadOnlyDictionary<string, string?> configuration, TextReader? input = null)
    {
        using var output = new StringWriter();
        var code = await BackupServices.WhenLockFreeAsync(async () =>
        {
            var result = await BackupCommandLine.InvokeAsync(args, configuration, output, input);
            if (result == BackupCommandLine.Busy) throw new SmsBridge.Backup.Catalogue.BackupBusyException();
            return result;
        });
        return (code, output.ToString());
    }
}
