using AutoencoderNotebooks.Charts;
using Microsoft.Playwright;

namespace AutoencoderNotebooks.Tests.Site;

/// <summary>
/// Headless Chromium (Debian's, driven by Playwright) with the network cut: the context is offline and every request
/// that is not for a local file is aborted, so a page draws only with what it carries.
/// </summary>
internal sealed class OfflineBrowser : IAsyncDisposable
{
    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private OfflineBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context) =>
        (this.playwright, this.browser, Context) = (playwright, browser, context);

    /// <summary>Where pages are opened.</summary>
    public IBrowserContext Context { get; }

    /// <summary>Starts the browser and its offline context.</summary>
    public static async Task<OfflineBrowser> StartAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new() { Offline = true });
        await context.RouteAsync("**/*", route => route.Request.Url.StartsWith("file:", StringComparison.Ordinal) ? route.ContinueAsync() : route.AbortAsync());
        return new OfflineBrowser(playwright, browser, context);
    }

    /// <summary>The course's charts on <paramref name="page"/>: how many there are and how many drew (hold Plotly's SVG).</summary>
    public static async Task<(int Charts, int Drawn)> ChartsAsync(IPage page)
    {
        var counts = await page.EvaluateAsync<int[]>(
            $"() => {{ const c = [...document.querySelectorAll('.{ChartHtml.ChartClass}')]; return [c.length, c.filter(d => d.querySelector('svg.main-svg')).length]; }}");
        return (counts[0], counts[1]);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
