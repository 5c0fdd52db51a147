using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Delivery;

/// <summary>
/// One graph with fast delivery pacing for the tests of webhook delivery and its faults: they run one after another on it,
/// each pointing sync_url at its own sink and judging only its own hand-offs (an earlier test's leftovers may reach it),
/// and each leaves the graph healthy (a killed receiver is restarted).
/// </summary>
public sealed class DeliveryGraphFixture() : GraphFixture(b => DeliveryFlow.FastPacing(b));

[CollectionDefinition(Name)]
public sealed class DeliveryGraphCollection : ICollectionFixture<DeliveryGraphFixture>
{
    public const string Name = "delivery graph";
}
