using System.Collections.Concurrent;
using Npgsql;
using SmsBridge.Data.Inbox;

namespace SmsBridge.Benchmarks.Load;

/// <summary>
/// Tells flows when their SMS has a final outcome. One query every few milliseconds for all waiting messages,
/// rather than one poll per flow, keeps the watcher's own load on PostgreSQL small and constant. It holds a single
/// connection, so that the run can leave its backend's CPU and its queries (one transaction each) out of the product's cost.
/// </summary>
public sealed class OutcomeWatcher : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<string>> _waiting = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _queries;

    private OutcomeWatcher(NpgsqlConnection connection)
    {
        _connection = connection;
        _loop = Task.Run(LoopAsync);
    }

    public static async Task<OutcomeWatcher> StartAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        return new OutcomeWatcher(connection);
    }

    /// <summary>The PostgreSQL backend that serves this watcher's queries.</summary>
    public int BackendPid => _connection.ProcessID;

    /// <summary>Queries (each its own transaction) run so far.</summary>
    public long Queries => Interlocked.Read(ref _queries);

    public Task<string> OutcomeAsync(Guid messageId) =>
        _waiting.GetOrAdd(messageId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(5, _stop.Token);
                if (_waiting.IsEmpty) continue;
                Interlocked.Increment(ref _queries);
                foreach (var (messageId, outcome) in await Inbox.FinalOutcomesAsync(_connection, [.. _waiting.Keys], _stop.Token))
                {
                    if (_waiting.TryRemove(messageId, out var waiter)) waiter.TrySetResult(outcome);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException ex)
            {
                Progress.Line("outcome watcher: " + ex.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        await _connection.DisposeAsync();
    }
}
