global using Xunit;
global using System.Net.Http.Json;
