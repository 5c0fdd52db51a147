using System.Text.RegularExpressions;
using SmsBridge.AppHost.Publishing;

namespace SmsBridge.Tests.Deploy;

public sealed partial class DockerfileTests
{
    private static readonly string[] Services = ["receiver", "admin", "backup"];

    [Fact]
    public void The_service_image_is_multi_stage_pinned_non_root_and_health_checked()
    {
        var lines = Repo.Read("Dockerfile").Split('\n');
        var froms = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.True(froms.Count >= 2, "multi-stage");
        Assert.All(froms, from => Assert.Matches(PinnedDotnet(), from));
        Assert.Contains(froms, f => f.Contains("/dotnet/sdk:10.0.", StringComparison.Ordinal));
        Assert.Contains(froms, f => f.Contains("/dotnet/aspnet:10.0.", StringComparison.Ordinal));
        var finalStage = lines.SkipWhile(l => l != froms[^1]).ToList();
        Assert.Equal("USER 1654:1654", finalStage.Last(l => l.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.Contains(finalStage, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        // The entrypoint runs the assembly the build argument named, with dotnet replacing the shell.
        Assert.Contains(finalStage, l => l.Trim().StartsWith("SMSBRIDGE_ASSEMBLY=${PROJECT}.dll", StringComparison.Ordinal));
        Assert.Contains("ENTRYPOINT [\"/bin/sh\", \"-c\", \"exec dotnet \\\"$SMSBRIDGE_ASSEMBLY\\\" \\\"$@\\\"\", \"dotnet\"]", finalStage);
        Assert.Contains("**/obj/", Repo.Read(".dockerignore"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SmsBridge.Receiver")]
    [InlineData("SmsBridge.Admin")]
    [InlineData("SmsBridge.Backup")]
    public void Every_copy_from_the_build_context_exists_for_each_project(string project)
    {
        var lines = Repo.Read("Dockerfile").Split('\n');
        foreach (var copy in lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal)))
        {
            foreach (var source in copy.Split(' ')[1..^1].Select(s => s.Replace("${PROJECT}", project, StringComparison.Ordinal)))
            {
                Assert.True(Path.Exists(Repo.PathOf(source)), $"the Dockerfile copies missing {source} for {project}");
            }
        }
    }

    [Theory]
    [InlineData("SmsBridge.Receiver")]
    [InlineData("SmsBridge.Admin")]
    [InlineData("SmsBridge.Backup")]
    public void Every_project_a_service_references_is_restored_and_copied(string project)
    {
        var copies = Repo.Read("Dockerfile").Split('\n').Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)).ToList();
        foreach (var referenced in ReferencedProjects(project))
        {
            Assert.Contains($"COPY {referenced}/{referenced}.csproj {referenced}/", copies);
            Assert.Contains($"COPY {referenced}/ {referenced}/", copies);
        }
    }

    /// <summary>The projects a project references, directly or through another, by folder name (folder = project name).</summary>
    private static HashSet<string> ReferencedProjects(string project, HashSet<string>? found = null)
    {
        found ??= new HashSet<string>(StringComparer.Ordinal);
        var csproj = System.Xml.Linq.XDocument.Parse(Repo.Read($"{project}/{project}.csproj"));
        foreach (var reference in csproj.Descendants("ProjectReference").Select(r => (string)r.Attribute("Include")!))
        {
            var name = Path.GetFileNameWithoutExtension(reference.Replace('\\', '/'));
            if (found.Add(name)) ReferencedProjects(name, found);
        }

        return found;
    }

    [Fact]
    public void Only_the_backup_image_installs_the_postgresql_client_and_rclone()
    {
        var dockerfile = Repo.Read("Dockerfile");
        var install = InstallStep().Match(dockerfile);

        Assert.True(install.Success, "the final stage installs the backup tools behind a test of PROJECT");
        Assert.Equal("SmsBridge.Backup", install.Groups[1].Value);
        Assert.Contains("postgresql-client rclone ca-certificates", install.Value, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(dockerfile, "apt-get install"));
    }

    [Fact]
    public void Compose_builds_each_service_from_the_one_dockerfile_with_its_project()
    {
        var services = Yaml.Load(Repo.Read("deploy/docker-compose.yml")).Map("services");
        foreach (var name in Services)
        {
            var build = services.Map(name).Map("build");
            Assert.Equal("..", build.Text("context"));
            Assert.Equal("Dockerfile", build.Text("dockerfile"));
            var project = build.Map("args").Text("PROJECT")!;
            Assert.True(File.Exists(Repo.PathOf($"{project}/{project}.csproj")), $"{name} builds {project}, which is not a project");
            Assert.Equal($"SmsBridge.{char.ToUpperInvariant(name[0])}{name[1..]}", project);
            Assert.False(File.Exists(Repo.PathOf($"{project}/Dockerfile")), $"{project} has a Dockerfile of its own again");
        }
    }

    [Fact]
    public void The_pgbouncer_image_is_pinned_and_non_root()
    {
        var dockerfile = Repo.Read("deploy/pgbouncer/Dockerfile");

        Assert.Matches(@"(?m)^FROM docker\.io/library/debian:\d+\.\d+-slim$", dockerfile);
        Assert.Matches(@"(?m)^USER 10002:10002$", dockerfile);
        Assert.Contains("HEALTHCHECK", dockerfile, StringComparison.Ordinal);
        Assert.Equal("10002:10002", Yaml.Load(Repo.Read("deploy/docker-compose.yml")).Map("services").Map(ProductionStack.PoolerName).Text("user"));
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

    [GeneratedRegex(@"(?s)RUN if \[ ""\$PROJECT"" = ""([\w.]+)"" \]; then.*?\bfi\b")]
    private static partial Regex InstallStep();

    [GeneratedRegex(@"(?<![\w/])deploy/[\w/.-]+\.sh")]
    private static partial Regex ScriptPath();
}
