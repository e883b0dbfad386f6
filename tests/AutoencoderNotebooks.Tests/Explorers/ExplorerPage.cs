using Microsoft.Playwright;

namespace AutoencoderNotebooks.Tests.Explorers;

/// <summary>
/// Drives an explorer on a page as a learner does — the real mouse, through Playwright — and reads what the page
/// computed from the state the explorer keeps on its element (<c>element.courseExplorer</c>).
/// </summary>
internal sealed class ExplorerPage(IPage page, string selector)
{
    /// <summary>The explorer of <paramref name="elementClass"/> on <paramref name="page"/> (the page's only one).</summary>
    public static async Task<ExplorerPage> FindAsync(IPage page, string elementClass)
    {
        var count = await page.Locator("." + elementClass).CountAsync();
        Assert.True(count == 1, $"{count} elements of class {elementClass} on {page.Url}");
        return new ExplorerPage(page, "." + elementClass);
    }

    public IPage Page => page;

    /// <summary>The CSS selector of the explorer's element.</summary>
    public string Selector => selector;

    /// <summary>An element inside the explorer.</summary>
    public ILocator Inside(string css) => page.Locator($"{selector} {css}");

    public Task<string> AttributeAsync(string name) => page.Locator(selector).GetAttributeAsync(name)!;

    /// <summary>The element's state: a property of element.courseExplorer, as numbers.</summary>
    public Task<double[]> NumbersAsync(string path) =>
        page.EvaluateAsync<double[]>($"s => Array.from(document.querySelector(s).courseExplorer.{path})", selector);

    /// <summary>A canvas of the explorer as a PNG data URL (to see that what is drawn changed).</summary>
    public Task<string> CanvasAsync(string name) =>
        page.EvaluateAsync<string>($"s => document.querySelector(s).querySelector('canvas.course-explorer-{name}').toDataURL()", selector);

    /// <summary>Where on the viewport a fraction (0–1 across, 0–1 down) of a canvas lies.</summary>
    public async Task<(float X, float Y)> PointOnAsync(string canvas, double across, double down)
    {
        var box = await page.Locator($"{selector} canvas.course-explorer-{canvas}").BoundingBoxAsync()
            ?? throw new Xunit.Sdk.XunitException($"canvas {canvas} is not visible");
        return ((float)(box.X + across * box.Width), (float)(box.Y + down * box.Height));
    }

    /// <summary>The latencies the page recorded, from each pointer event to its redrawn image (ms), from index <paramref name="from"/>.</summary>
    public async Task<double[]> LatenciesAsync(int from = 0) => (await NumbersAsync("latencies")).Skip(from).ToArray();

    /// <summary>Sets a range input and fires its input event, as dragging the slider does.</summary>
    public Task SlideAsync(string name, double value) => page.EvaluateAsync(
        "([s, n, v]) => { const e = document.querySelector(s).querySelector('input.course-explorer-' + n); e.value = v; e.dispatchEvent(new Event('input')); }",
        new object[] { selector, name, value.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public Task ClickAsync(string name) => page.Locator($"{selector} .course-explorer-{name}").ClickAsync();

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static double MaxDifference(IReadOnlyList<double> a, IReadOnlyList<float> b)
    {
        Assert.Equal(b.Count, a.Count);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

}
