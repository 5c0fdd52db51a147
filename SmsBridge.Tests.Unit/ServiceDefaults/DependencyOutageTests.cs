using System.Net.Sockets;
using Npgsql;
using SmsBridge.ServiceDefaults.Web;
using StackExchange.Redis;

namespace SmsBridge.Tests.ServiceDefaults;

/// <summary>
/// Which exceptions are an outage (answered 503 with Retry-After) and which are a fault (500). A cancellation nobody asked
/// for (StackExchange.Redis cancels what is in flight when it drops a dead socket) is an outage; a server error that only
/// says the SQL was refused is not, or a constraint violation would tell the operator the database is down.
/// </summary>
public sealed class DependencyOutageTests
{
    [Fact]
    public void A_cancellation_the_caller_did_not_ask_for_is_an_outage() =>
        Assert.Equal("cache or database", DependencyOutage.Of(new TaskCanceledException("dropped with the dead socket")));

    [Fact]
    public void An_unreachable_database_or_cache_is_an_outage()
    {
        Assert.Equal("database", DependencyOutage.Of(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal("database", DependencyOutage.Of(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01")));
        Assert.Equal("database", DependencyOutage.Of(new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03")));
        Assert.Equal("cache", DependencyOutage.Of(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is available")));
    }

    [Fact]
    public void A_refused_statement_is_a_fault_not_an_outage()
    {
        Assert.Null(DependencyOutage.Of(new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505")));
        Assert.Null(DependencyOutage.Of(new PostgresException("raised by a trigger", "ERROR", "ERROR", "P0001")));
        Assert.Null(DependencyOutage.Of(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void The_cache_clients_broken_reader_is_an_outage_and_other_invalid_operations_are_faults()
    {
        // The escaped pipe failure of StackExchange.Redis#3085, raised here by the same pipe call inside a client frame.
        static void ReadAfterCompletion()
        {
            var pipe = new System.IO.Pipelines.Pipe();
            pipe.Reader.Complete();
            pipe.Reader.AdvanceTo(default);
        }

        var escaped = Assert.Throws<InvalidOperationException>(() => ConfigurationOptions.Parse("localhost").Apply(_ => ReadAfterCompletion()));
        Assert.Equal("cache", DependencyOutage.Of(escaped));

        Assert.Null(DependencyOutage.Of(Assert.Throws<InvalidOperationException>(ReadAfterCompletion)));
        Assert.Null(DependencyOutage.Of(Assert.Throws<InvalidOperationException>(() => RedisResult.Create((RedisValue)1)[0])));
    }

    [Fact]
    public void The_status_is_503_for_an_outage_and_500_for_a_fault()
    {
        var options = DependencyOutage.HandlerOptions();
        Assert.Equal(503, options.StatusCodeSelector!(new NpgsqlException("Failed to connect")));
        Assert.Equal(500, options.StatusCodeSelector!(new InvalidOperationException("a bug")));
    }
}
