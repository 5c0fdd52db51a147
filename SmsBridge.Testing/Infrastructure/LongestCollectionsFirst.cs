using Xunit.Abstractions;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>
/// A test class whose collection takes long for its size (it waits on a clock or runs the AppHost itself): started among
/// the first, so it does not run alone at the end of the run.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class LongRunningAttribute : Attribute;

/// <summary>
/// Starts the test collections that take longest first, so a run with a few collections in parallel does not end with one
/// long collection alone on a machine that could run more: the <see cref="LongRunningAttribute"/> ones, then the shared
/// graphs by how many classes share each, then the rest. Without it the order follows the collections' ids, which hash the
/// assembly's path: a clean clone in another folder ran the backup graph's ten classes last, alone, a minute longer.
/// </summary>
public sealed class LongestCollectionsFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        var collections = testCollections.ToList();
        if (collections.Count == 0) return collections;
        var classes = collections[0].TestAssembly.Assembly.GetTypes(includePrivateTypes: false).ToList();
        var ordered = collections.OrderByDescending(collection => Weight(collection, classes)).ToList();
        return ordered;
    }

    private static int Weight(ITestCollection collection, List<ITypeInfo> classes)
    {
        var members = classes.Where(type => CollectionOf(type) == collection.DisplayName).ToList();
        return members.Any(type => type.GetCustomAttributes(typeof(LongRunningAttribute)).Any()) ? int.MaxValue : Math.Max(members.Count, 1);
    }

    /// <summary>The collection's display name xunit gives a class: its [Collection] name, or one of its own.</summary>
    private static string CollectionOf(ITypeInfo type) =>
        type.GetCustomAttributes(typeof(CollectionAttribute)).FirstOrDefault()?.GetConstructorArguments().FirstOrDefault() as string
        ?? $"Test collection for {type.Name}";
}
