using System.Globalization;
using System.Security.Cryptography;
using SmsBridge.Tests.Deploy;

namespace SmsBridge.Tests.Backups;

/// <summary>
/// A real off-site host on loopback: Debian's <c>rclone serve webdav</c> over a folder, with a user and a password, run as
/// the service account. Clients reach it as the remote <c>offsite:</c>, configured the two ways an operator would:
/// <c>RCLONE_CONFIG_OFFSITE_*</c> variables (<see cref="RemoteEnvironment"/>) or an rclone.conf (<see cref="WriteConfigFileAsync"/>),
/// both with the password obscured by <c>rclone obscure</c>.
/// </summary>
public sealed class RcloneWebDav : IAsyncDisposable
{
    public const string Remote = "offsite";
    public const string User = "smsbridge-offsite";

    private readonly RunningProgram _server;

    private RcloneWebDav(string folder, int port, string obscuredPassword, RunningProgram server)
    {
        (Folder, Port, ObscuredPassword, _server) = (folder, port, obscuredPassword, server);
    }

    /// <summary>The folder the server serves: what landed on the remote, as the far side stores it.</summary>
    public string Folder { get; }

    public int Port { get; }

    public string ObscuredPassword { get; }

    public string Url => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<RcloneWebDav> StartAsync()
    {
        var folder = await Tool.ServiceUserFolderAsync("smsbridge-webdav-");
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var obscure = await Tool.RunAsync("rclone", ["obscure", password]);
        Assert.True(obscure.ExitCode == 0, "rclone obscure: " + obscure.All);
        // The log sits beside the served folder (not in it, or it would show on the remote) for a failure's message.
        var log = folder + ".log";
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePorts.Next();
            var server = Tool.StartAsServiceUser("rclone",
                ["serve", "webdav", folder, "--addr", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--user", User, "--pass", password,
                 "--log-file", log],
                // The service account may not read root's home, where rclone looks for a config file by default.
                new Dictionary<string, string> { ["RCLONE_CONFIG"] = "/dev/null" });
            var webdav = new RcloneWebDav(folder, port, obscure.Output.Trim(), server);
            try
            {
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while ((await webdav.RcloneAsync("lsf", $"{Remote}:")).ExitCode != 0)
                {
                    if (server.HasExited)
                    {
                        var said = $"exit code {server.ExitCode}; " + (File.Exists(log) ? File.ReadAllText(log) : "(no log)");
                        // A free port can be taken by another process's outgoing connection before rclone binds it
                        // (the machine is shared): another port, not a failure.
                        if (said.Contains("address already in use", StringComparison.Ordinal) && attempt < 3) break;
                        Assert.Fail("rclone serve webdav exited at start: " + said);
                    }

                    Assert.True(DateTime.UtcNow < deadline, "rclone serve webdav did not answer within 30 s");
                    await Task.Delay(100);
                }

                if (!server.HasExited) return webdav;
                await server.DisposeAsync();
                File.Delete(log);
            }
            catch
            {
                await webdav.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>The remote as environment variables (rclone reads <c>RCLONE_CONFIG_&lt;NAME&gt;_&lt;OPTION&gt;</c> itself).</summary>
    public Dictionary<string, string> RemoteEnvironment() => new()
    {
        // Variables only: no config file is read (the service account's HOME may be root's, which it cannot read).
        ["RCLONE_CONFIG"] = "/dev/null",
        ["RCLONE_CONFIG_OFFSITE_TYPE"] = "webdav",
        ["RCLONE_CONFIG_OFFSITE_URL"] = Url,
        ["RCLONE_CONFIG_OFFSITE_VENDOR"] = "other",
        ["RCLONE_CONFIG_OFFSITE_USER"] = User,
        ["RCLONE_CONFIG_OFFSITE_PASS"] = ObscuredPassword,
    };

    /// <summary>The same remote as an rclone.conf section, written 0600 into <paramref name="directory"/>.</summary>
    public async Task<string> WriteConfigFileAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "rclone.conf");
        await using (var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteAsync($"""
                [{Remote}]
                type = webdav
                url = {Url}
                vendor = other
                user = {User}
                pass = {ObscuredPassword}

                """);
        }

        return path;
    }

    /// <summary>rclone as an operator runs it against the remote (listing, fetching a copy back).</summary>
    public Task<ProgramResult> RcloneAsync(params string[] arguments) => Tool.RunAsync("rclone", arguments, RemoteEnvironment(), "/");

    /// <summary>The backup ids (folders) on the remote under <paramref name="path"/>, as rclone lists them.</summary>
    public async Task<List<string>> ListFoldersAsync(string path)
    {
        var listing = await RcloneAsync("lsf", "--dirs-only", $"{Remote}:{path}");
        Assert.True(listing.ExitCode == 0, "rclone lsf: " + listing.All);
        return [.. listing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.TrimEnd('/')).Order(StringComparer.Ordinal)];
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        File.Delete(Folder + ".log");
    }
}
