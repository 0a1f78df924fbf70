using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace SpeechEmotion.Web.Tests;

/// <summary>The service in memory (TestServer) with the given options and engine.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public WebApplication App { get; }
    public TestServer Server { get; }
    public HttpClient Client { get; }

    public ApiHost(WebServerOptions? options = null, IEmotionEngine? engine = null)
    {
        App = WebApp.Build(options ?? new WebServerOptions { Port = 0 }, engine ?? new TestEngine(),
            b => b.WebHost.UseTestServer());
        App.StartAsync().GetAwaiter().GetResult();
        Server = App.GetTestServer();
        Client = Server.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
