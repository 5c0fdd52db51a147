namespace SmsBridge.ServiceDefaults.Secrets;

/// <summary>
/// A secret setting the service cannot start with: absent, weak, or named by a file that cannot be read. The message is one
/// line that names the setting and the fix, never the value; a service prints it and exits with code 1.
/// </summary>
public sealed class SecretSettingException(string message) : InvalidOperationException(message);
