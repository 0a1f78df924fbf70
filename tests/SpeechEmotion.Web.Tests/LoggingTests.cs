using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace SpeechEmotion.Web.Tests;

public sealed class LoggingTests
{
    private sealed class Capture : ILoggerProvider, ILogger
    {
        public readonly List<Dictionary<string, object?>> Events = [];
        public ILogger CreateLogger(string categoryName) => categoryName == typeof(RequestLogging).FullName ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields)
                lock (Events) Events.Add(fields.ToDictionary(kv => kv.Key, kv => kv.Value));
        }
    }

    [Fact]
    public async Task EveryRequestIsLoggedWithNamedFields()
    {
        var capture = new Capture();
        await using var app = WebApp.Build(new WebServerOptions { Port = 0 }, new TestEngine(), b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.AddProvider(capture);
        });
        await app.StartAsync();
        using var client = app.GetTestServer().CreateClient();
        await client.GetAsync("/api/v1/health");
        await client.PostAsync("/api/v1/recognize", new StringContent("x"));
        lock (capture.Events)
        {
            var byPath = capture.Events;
            var health = byPath.Single(e => (string?)e["Path"] == "/api/v1/health");
            Assert.Equal("GET", health["Method"]);
            Assert.Equal(200, health["Status"]);
            Assert.IsType<double>(health["ElapsedMs"]);
            Assert.Equal(415, byPath.Single(e => (string?)e["Path"] == "/api/v1/recognize")["Status"]);
        }
    }
}
