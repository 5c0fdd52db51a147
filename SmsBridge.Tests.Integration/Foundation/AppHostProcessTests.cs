using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using SmsBridge.Tests.Deploy;

namespace SmsBridge.Tests.Foundation;

/// <summary>
/// The AppHost as <c>./run.sh</c> starts it, a process of its own: the newcomer summary once healthy, a restart after
/// a kill -9 of the AppHost, nothing left running after SIGTERM (what Ctrl+C sends the foreground job), and one clear
/// line when the service account cannot reach the data folder.
/// </summary>
[LongRunning] // starts the whole AppHost twice, as ./run.sh does
public sealed partial class AppHostProcessTests
{
    private static string AppHostDll => Repo.PathOf($"SmsBridge.AppHost/bin/{Repo.Configuration}/net10.0/SmsBridge.AppHost.dll");

    [Fact]
    public async Task Prints_the_newcomer_summary_restarts_after_a_kill_9_and_leaves_nothing_after_sigterm()
    {
        var data = Directory.CreateTempSubdirectory("smsbridge-apphost-").FullName;
        File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        try
        {
            // First life: healthy, then killed the way a crash (or kill -9) would, leaving postmaster.pid behind.
            HashSet<int> firstTree;
            await using (var first = AppHostProcess.Start(data))
            {
                var summary = await first.WaitForSummaryAsync();
                Assert.Matches(@"receiver +http://localhost:\d+", summary);
                Assert.Matches(@"admin +http://localhost:\d+", summary);
                Assert.Contains("dotnet user-secrets list --project SmsBridge.AppHost", summary, StringComparison.Ordinal);
                Assert.Contains("sync_url", summary, StringComparison.Ordinal);
                // As ./run.sh has it, the development tools are in the graph, listed as the three steps to a first verified user.
                Assert.Matches(@"1\. http://localhost:\d+ +sample backend", summary);
                Assert.Matches(@"2\. http://localhost:\d+ +gateway simulator", summary);
                var login = LoginUrl().Match(summary);
                Assert.True(login.Success, summary);
                using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });
                using var page = await browser.GetAsync(new Uri(login.Value));
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                Assert.DoesNotContain("/login", page.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal); // signed in

                firstTree = ProcessTable.WithDescendants([first.Id, .. ProcessTable.Monitoring(first.Id)]);
                await first.KillAsync();
            }

            // DCP sees its AppHost gone and stops what it started.
            await Eventually.TrueAsync(() => Task.FromResult(!firstTree.Any(ProcessTable.IsAlive)), TimeSpan.FromSeconds(60),
                "every process of the killed AppHost gone");

            // Second life on the same folder: starts cleanly, then SIGTERM stops every process it started.
            await using var second = AppHostProcess.Start(data);
            await second.WaitForSummaryAsync();
            var tree = ProcessTable.WithDescendants([second.Id, .. ProcessTable.Monitoring(second.Id)]);
            Assert.True(tree.Count >= 10, $"the AppHost runs DCP, the dashboard, PostgreSQL, Redis, three services and two development tools: {tree.Count} processes");
            await second.TerminateAsync();
            await Eventually.TrueAsync(() => Task.FromResult(!tree.Any(ProcessTable.IsAlive)), TimeSpan.FromSeconds(30),
                "every process of the AppHost gone after SIGTERM");
            Assert.Equal(0, second.ExitCode);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_data_folder_the_service_account_cannot_enter_is_one_clear_line_not_a_stack_trace()
    {
        var closed = Directory.CreateTempSubdirectory("smsbridge-closed-").FullName;
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // like /root
        try
        {
            var folder = Path.Combine(closed, "data");
            var result = await Tool.RunAsync("dotnet", [AppHostDll, $"AppHost:DataDirectory={folder}"],
                AppHostProcess.Environment(), timeout: TimeSpan.FromSeconds(60));

            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(folder, line, StringComparison.Ordinal);
            Assert.Contains("AppHost:DataDirectory", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/login\?t=[0-9a-f]+")]
    private static partial Regex LoginUrl();

    /// <summary>The built AppHost started as its own process with the launch profile's variables, on free ports.</summary>
    private sealed class AppHostProcess : IAsyncDisposable
    {
        private readonly RunningProgram _process;
        private readonly ConcurrentQueue<string> _output = new();
        private readonly TaskCompletionSource<string> _summary = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private AppHostProcess(string data)
        {
            _process = ExternalProgram.Start(new ProgramInvocation("dotnet", [AppHostDll, $"AppHost:DataDirectory={data}", "AppHost:FastUnsafeStorage=true"])
            {
                Environment = Environment().ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal),
                WorkingDirectory = Repo.Root,
                OnOutputLine = Read,
                OnErrorLine = Read,
            });
        }

        public int Id => _process.Id;

        public int ExitCode => _process.ExitCode;

        public static Dictionary<string, string> Environment() => new()
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePorts.Next()}",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePorts.Next()}",
            ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePorts.Next()}",
            ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
        };

        public static AppHostProcess Start(string data) => new(data);

        private void Read(string? line)
        {
            if (line is null) return;
            _output.Enqueue(line);
            if (line.Contains("Ctrl+C stops everything", StringComparison.Ordinal))
            {
                _summary.TrySetResult(string.Join('\n', _output.Reverse().TakeWhile(l => !l.Contains("SMS Bridge is up", StringComparison.Ordinal)).Reverse()));
            }
        }

        public async Task<string> WaitForSummaryAsync()
        {
            var exited = _process.WaitForExitAsync(CancellationToken.None);
            var first = await Task.WhenAny(_summary.Task, exited, Task.Delay(TimeSpan.FromMinutes(3)));
            if (first != _summary.Task) Assert.Fail($"no summary from the AppHost; its last lines:\n{string.Join('\n', _output.TakeLast(40))}");
            return await _summary.Task;
        }

        public Task KillAsync() => ExternalProgram.SignalAsync(_process.Id, "KILL");

        public async Task TerminateAsync()
        {
            await ExternalProgram.SignalAsync(_process.Id, "TERM");
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        }

        public ValueTask DisposeAsync() => _process.DisposeAsync();
    }
}
