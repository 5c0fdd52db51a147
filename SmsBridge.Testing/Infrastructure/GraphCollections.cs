[assembly: TestCollectionOrderer("SmsBridge.Tests.Infrastructure.LongestCollectionsFirst", "SmsBridge.Testing")]

namespace SmsBridge.Tests.Infrastructure;

// xunit reads [CollectionDefinition] only in the test assembly, so this file is compiled into each test project that
// uses the shared graphs (linked from their .csproj), not into the kit; a collection with no tests starts no graph. The
// orderer starts the longest collections first.
[CollectionDefinition(Name)]
public sealed class SharedGraph : GraphCollection;

[CollectionDefinition(Name)]
public sealed class OutageGraph : OutageGraphCollection;

[CollectionDefinition(Name)]
public sealed class AdminGraph : Admin.AdminGraphCollection;

[CollectionDefinition(Name)]
public sealed class DashboardGraph : Dashboard.DashboardGraphCollection;
