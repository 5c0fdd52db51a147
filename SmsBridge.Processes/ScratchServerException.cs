namespace SmsBridge.Processes;

/// <summary>A scratch server exited while starting; the message holds its last lines.</summary>
public sealed class ScratchServerException(string message) : InvalidOperationException(message);
