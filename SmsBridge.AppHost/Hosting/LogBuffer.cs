namespace SmsBridge.AppHost.Hosting;

/// <summary>The last N lines a resource printed, for error messages, tests and the dashboard.</summary>
public sealed class LogBuffer(int capacity)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();

    public event Action<string>? LineAdded;

    public int Capacity => capacity;

    /// <summary>Lines pushed out by newer ones, for the dashboard's bounded-memory note.</summary>
    public long Dropped { get; private set; }

    public void Add(string line)
    {
        lock (_lock)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
                Dropped++;
            }

            _lines.Enqueue(line);
        }

        LineAdded?.Invoke(line);
    }

    public IReadOnlyList<string> Tail(int count)
    {
        lock (_lock)
        {
            return _lines.Skip(Math.Max(0, _lines.Count - count)).ToList();
        }
    }
}
