using Microsoft.Playwright;
using Microsoft.AspNetCore.Builder;

namespace SpeechEmotion.Web.Tests;

/// <summary>
/// The service on a real loopback port (Kestrel) with the real recognizer over a seeded model, and the page in
/// Debian's chromium (never a downloaded browser) with a fake microphone that plays a sample clip.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public WebApplication App { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string Url { get; private set; } = "";
    public string MicrophoneWav { get; } = Wav.Samples("angry-actor03.wav");

    public static string Artifacts
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("SER_ARTIFACTS") is { Length: > 0 } a
                ? Path.Combine(a, "web")
                : Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Wav.Samples("x")))!, "artifacts", "web");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does.");
        App = WebApp.Build(new WebServerOptions { Port = 0, TimelineMinSeconds = 3 }, TinyModel.Engine());
        await App.StartAsync();
        Url = App.Urls.First().TrimEnd('/') + "/";
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--autoplay-policy=no-user-gesture-required",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-audio-capture={MicrophoneWav}",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await App.DisposeAsync();
    }
}

public sealed class BrowserTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    private static readonly PageWaitForFunctionOptions Wait = new() { Timeout = 20_000, PollingInterval = 100 };

    private async Task<IPage> Open(int width = 1100, int height = 1300)
    {
        var context = await f.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Permissions = ["microphone"],
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(f.Url);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#bars li').length > 0", null, Wait);
        Assert.Empty(errors);
        return page;
    }

    private static Task<bool> Drawn(IPage page) =>
        page.EvaluateAsync<bool>("() => { const c = document.getElementById('waveform'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 200) return true; return false; }");

    [Fact]
    public async Task UploadingASampleShowsTheResultBarsAndTimeline()
    {
        var page = await Open();
        Assert.Contains("4 emotions", await page.TextContentAsync("#model-info"));
        await page.SetInputFilesAsync("#upload", Wav.Samples("sad-actor15.wav"));
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('Done')", null, Wait);
        var label = await page.TextContentAsync("#label");
        Assert.Contains(label, new[] { "neutral", "happy", "sad", "angry" });
        Assert.Equal(4, await page.Locator("#bars li").CountAsync());
        var meters = await page.Locator("#bars [role=meter]").EvaluateAllAsync<int[]>("m => m.map(x => +x.getAttribute('aria-valuenow'))");
        Assert.InRange(meters.Sum(), 96, 104); // rounded percentages of probabilities that sum to 1
        // The winning label's bar is visibly filled in proportion to its probability.
        var widths = await page.Locator("#bars .fill").EvaluateAllAsync<double[]>("f => f.map(x => x.getBoundingClientRect().width / x.parentElement.getBoundingClientRect().width * 100)");
        for (int i = 0; i < meters.Length; i++) Assert.InRange(widths[i], meters[i] - 1.5, meters[i] + 1.5);
        Assert.True(await page.Locator("#timeline-list li").CountAsync() >= 1);
        // The waveform was drawn (not just the background colour).
        Assert.True(await Drawn(page));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Artifacts, "upload.png"), FullPage = true });

        // Phone-sized screen: nothing overflows sideways and the controls are reachable.
        await page.SetViewportSizeAsync(375, 740);
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Artifacts, "upload-phone.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RecordingFromTheFakeMicrophoneGivesLiveResultsThenATimeline()
    {
        var page = await Open();
        // Keyboard only: tab from the top of the page to the Record button and press Enter.
        for (int i = 0; i < 6 && await page.EvaluateAsync<string>("() => document.activeElement.id") != "record"; i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.Equal("record", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.PressAsync("Enter");
        try { await page.WaitForFunctionAsync("() => document.getElementById('record').getAttribute('aria-pressed') === 'true'", null, Wait); }
        catch (TimeoutException) { Assert.Fail($"recording did not start: {await page.TextContentAsync("#status")}"); }
        // Live results arrive while "speaking" (the fake microphone plays the sample).
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('Listening… ') && document.querySelectorAll('#timeline-list li').length >= 2 && document.getElementById('label').textContent !== '—'", null, Wait);
        Assert.True(await Drawn(page)); // the live waveform
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Artifacts, "record-live.png"), FullPage = true });
        await page.WaitForFunctionAsync("() => parseFloat(document.getElementById('status').textContent.replace('Listening… ', '')) >= 4", null, Wait);
        await page.Keyboard.PressAsync("Enter"); // stop
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('Recording analysed')", null, Wait);
        Assert.Equal("false", await page.GetAttributeAsync("#record", "aria-pressed"));
        Assert.True(await page.Locator("#timeline-list li").CountAsync() >= 1);
        Assert.True(await page.Locator("#timeline span").CountAsync() >= 1);
        var seconds = double.Parse((await page.TextContentAsync("#status"))!.Split('(')[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 3.5, 30);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Artifacts, "record-final.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
