using System.Collections.Concurrent;
using Npgsql;

namespace SmsBridge.Benchmarks.Load;

/// <summary>
/// Tells flows when their SMS has a final outcome. One query every few milliseconds for all waiting messages,
/// rather than one poll per flow, keeps the watcher's own load on PostgreSQL small and constant.
/// </summary>
public sealed class OutcomeWatcher : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<string>> _waiting = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public OutcomeWatcher(NpgsqlDataSource database)
    {
        _database = database;
        _loop = Task.Run(LoopAsync);
    }

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
                await using var command = _database.CreateCommand("SELECT id, outcome FROM sms_inbox WHERE id = ANY($1) AND outcome <> 'pending'");
                command.Parameters.Add(new NpgsqlParameter { Value = _waiting.Keys.ToArray() });
                await using var reader = await command.ExecuteReaderAsync(_stop.Token);
                while (await reader.ReadAsync(_stop.Token))
                {
                    if (_waiting.TryRemove(reader.GetGuid(0), out var waiter)) waiter.TrySetResult(reader.GetString(1));
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
    }
}
