using System.Text.RegularExpressions;

namespace SmsBridge.Tests.Deploy;

public sealed partial class DockerfileTests
{
    public static TheoryData<string> Services => new() { "SmsBridge.Receiver", "SmsBridge.Admin", "SmsBridge.Backup" };

    [Theory]
    [MemberData(nameof(Services))]
    public void Service_images_are_multi_stage_pinned_non_root_and_health_checked(string project)
    {
        var lines = Repo.Read($"{project}/Dockerfile").Split('\n');
        var froms = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.True(froms.Count >= 2, "multi-stage");
        Assert.All(froms, from => Assert.Matches(PinnedDotnet(), from));
        Assert.Contains(froms, f => f.Contains("/dotnet/sdk:10.0.", StringComparison.Ordinal));
        Assert.Contains(froms, f => f.Contains("/dotnet/aspnet:10.0.", StringComparison.Ordinal));
        var finalStage = lines.SkipWhile(l => l != froms[^1]).ToList();
        Assert.Equal("USER 1654:1654", finalStage.Last(l => l.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.Contains(finalStage, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]", finalStage);

        // Every COPY from the build context names something that exists in the repository.
        foreach (var copy in lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal)))
        {
            foreach (var source in copy.Split(' ')[1..^1]) Assert.True(Path.Exists(Repo.PathOf(source)), $"{project}/Dockerfile copies missing {source}");
        }

        Assert.Contains("**/obj/", Repo.Read($"{project}/Dockerfile.dockerignore"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_pgbouncer_image_is_pinned_and_non_root()
    {
        var dockerfile = Repo.Read("deploy/pgbouncer/Dockerfile");

        Assert.Matches(@"(?m)^FROM docker\.io/library/debian:\d+\.\d+-slim$", dockerfile);
        Assert.Matches(@"(?m)^USER 10002:10002$", dockerfile);
        Assert.Contains("HEALTHCHECK", dockerfile, StringComparison.Ordinal);
        Assert.Contains("user: \"10002:10002\"", Repo.Read("deploy/docker-compose.yml"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_runbook_covers_what_an_operator_needs()
    {
        var runbook = Repo.Read("docs/operations.md");
        foreach (var heading in new[]
                 {
                     "## Deploy", "## Rotate secrets", "## Backup and restore", "## Certificates", "## Checklists", "### Daily", "### Weekly",
                     "### Monthly", "## Incident response", "## Monitoring from a laptop",
                 })
        {
            Assert.Contains(heading, runbook, StringComparison.Ordinal);
        }

        // Every script the runbook tells the operator to run exists and answers --help.
        foreach (Match script in ScriptPath().Matches(runbook))
        {
            Assert.True(File.Exists(Repo.PathOf(script.Value)), $"docs/operations.md names {script.Value}, which does not exist");
        }
    }

    [GeneratedRegex(@"^FROM mcr\.microsoft\.com/dotnet/(sdk|aspnet):10\.0\.\d+-noble( AS \w+)?$")]
    private static partial Regex PinnedDotnet();

    [GeneratedRegex(@"(?<![\w/])deploy/[\w/.-]+\.sh")]
    private static partial Regex ScriptPath();
}
