using SmsBridge.AppHost.Publishing;

namespace SmsBridge.Tests.Deploy;

/// <summary>
/// The data stores' entrypoint scripts run from the checkout: each sources the shell functions of deploy/lib, which the
/// containers mount at <see cref="ProductionStack.ScriptLibraryMount"/> and a test names with <see cref="LibraryVariable"/>.
/// </summary>
public static class EntrypointScripts
{
    /// <summary>The variable that tells a script where deploy/lib is (the scripts default to the containers' mount).</summary>
    public const string LibraryVariable = "SMSBRIDGE_LIB_DIR";

    /// <summary>The checkout's deploy/lib.</summary>
    public static string Library => Repo.PathOf(ProductionStack.ScriptLibrary);

    /// <summary>A script (a path from the repository root) run with /bin/sh, as its container runs it, with the checkout's deploy/lib.</summary>
    public static Task<ProgramResult> RunAsync(string script, IDictionary<string, string> environment) =>
        Tool.RunAsync("/bin/sh", [Repo.PathOf(script)], new Dictionary<string, string>(environment) { [LibraryVariable] = Library });
}
