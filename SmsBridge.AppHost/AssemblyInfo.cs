// The AppHost drives Linux binaries (setpriv, initdb, redis-server) and POSIX file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
