using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// A <see cref="ComposeFile"/> as YAML. docker-compose reads YAML 1.1, so every string that 1.1 would read as
/// something else (a number, yes/no/on/off, a base-60 pair such as 22:22) is quoted.
/// </summary>
internal static class ComposeYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings(quoteYaml1_1Strings: true)
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithIndentedSequences()
        .DisableAliases()
        .Build();

    public static string Write(ComposeFile file, string header) => YamlComments.Of(header) + Serializer.Serialize(file);
}
