global using Xunit;
global using System.Net.Http.Json;
global using Aspire.Hosting;
global using Aspire.Hosting.ApplicationModel;
global using Aspire.Hosting.Testing;
global using SmsBridge.Tests.Infrastructure;
global using SmsBridge.Processes;
