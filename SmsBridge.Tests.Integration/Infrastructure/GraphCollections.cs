namespace SmsBridge.Tests.Infrastructure;

// The shared graphs' fixtures and names live in SmsBridge.Testing; xunit wants the definitions in this assembly.
[CollectionDefinition(Name)]
public sealed class SharedGraph : GraphCollection;

[CollectionDefinition(Name)]
public sealed class OutageGraph : OutageGraphCollection;

[CollectionDefinition(Name)]
public sealed class AdminGraph : Admin.AdminGraphCollection;

[CollectionDefinition(Name)]
public sealed class DashboardGraph : Dashboard.DashboardGraphCollection;
