namespace SmsBridge.Tests.Processes;

/// <summary>The shared runner with real programs: arguments reach the program as given, and a run that is given up leaves nothing behind.</summary>
public sealed class ExternalProgramTests
{
    [Fact]
    public async Task Arguments_reach_the_program_one_by_one_without_a_shell()
    {
        string[] arguments = ["a b", "$HOME", "; echo injected", "'quoted'"];
        var result = await ExternalProgram.CaptureAsync(new ProgramInvocation("printf", ["%s\n", .. arguments]));

        Assert.True(result.Succeeded, result.All);
        Assert.Equal(arguments, result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Environment_variables_are_set_or_removed_and_stdin_is_written_then_closed()
    {
        var result = await ExternalProgram.CaptureAsync(new ProgramInvocation("sh", ["-c", "echo \"$SMSBRIDGE_TEST-${HOME-unset}\"; cat"])
        {
            Environment = new Dictionary<string, string?> { ["SMSBRIDGE_TEST"] = "set", ["HOME"] = null },
            StandardInput = "from stdin",
        });

        Assert.Equal("set-unset\nfrom stdin", result.Output.Trim());
    }

    [Fact]
    public async Task A_program_that_closes_its_input_before_all_is_written_is_judged_by_its_exit_code()
    {
        // As pg_restore --list does: it reads the archive's table of contents and stops reading, still running for a moment.
        var result = await ExternalProgram.RunAsync(new ProgramInvocation("sh", ["-c", "exec 0<&-; sleep 0.5; echo listed"]),
            readOutput: null,
            writeInput: async (stdin, ct) =>
            {
                var chunk = new byte[64 * 1024];
                for (var i = 0; i < 256; i++) await stdin.WriteAsync(chunk, ct);
            });

        Assert.True(result.Succeeded, result.All);
    }

    [Fact]
    public async Task A_failure_names_the_program_its_exit_code_and_the_end_of_its_stderr()
    {
        var result = await ExternalProgram.CaptureAsync(new ProgramInvocation("sh", ["-c", "echo first >&2; echo last words >&2; exit 3"]));

        Assert.Equal(3, result.ExitCode);
        var failure = Assert.Throws<InvalidOperationException>(() => result.EnsureSucceeded());
        Assert.Contains("sh failed (exit code 3)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("last words", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_program_is_named_rather_than_a_setpriv_exit_code()
    {
        var missing = await Assert.ThrowsAsync<ProgramNotFoundException>(() =>
            ExternalProgram.CaptureAsync(new ProgramInvocation("smsbridge-no-such-program", [])));
        Assert.Contains("smsbridge-no-such-program", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_past_its_time_limit_is_a_timeout_naming_the_program()
    {
        var late = await Assert.ThrowsAsync<TimeoutException>(() =>
            ExternalProgram.CaptureAsync(new ProgramInvocation("sleep", ["600"]) { Timeout = TimeSpan.FromSeconds(1) }));
        Assert.Contains("sleep did not finish within 1 s", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Giving_up_kills_the_whole_tree()
    {
        var folder = Directory.CreateTempSubdirectory("smsbridge-runner-").FullName;
        try
        {
            // A grandchild that would outlive its shell if only the shell were killed. (A time limit gives up the same way.)
            var pidFile = Path.Combine(folder, "grandchild.pid");
            using var cancellation = new CancellationTokenSource();
            var run = ExternalProgram.CaptureAsync(new ProgramInvocation("sh", ["-c", $"sleep 600 & echo $! > {pidFile}; wait"]), cancellation.Token);
            await Eventually.TrueAsync(() => Task.FromResult(File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n')),
                TimeSpan.FromSeconds(30), "the grandchild started");
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            await AssertGoneAsync(pidFile);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task AssertGoneAsync(string pidFile)
    {
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.TrueAsync(() => Task.FromResult(!ProcessTable.IsAlive(pid)), TimeSpan.FromSeconds(30), $"the grandchild {pid} killed");
    }
}
