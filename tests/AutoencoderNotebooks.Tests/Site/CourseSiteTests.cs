using AutoencoderNotebooks.Book;
using AutoencoderNotebooks.Chapters;
using System.Text.Json.Nodes;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Tests.Notebooks;
using CourseRunner;
using Microsoft.Playwright;

namespace AutoencoderNotebooks.Tests.Site;

/// <summary>The HTML book: pages, index, assets, and a headless browser with the network cut.</summary>
public class CourseSiteTests
{
    private const string Notebook = """
        {"metadata": {"course": {"summary": "What the tests see."}}, "cells": [
          {"cell_type": "markdown", "metadata": {}, "source": ["# Chapter X — Tests\n", "The loss is $\\mathcal{L} = \\lVert x - \\hat x \\rVert^2$ with a_b_c.\n", "\n", "$$\n", "\\bar\\alpha_t = \\prod_{s \\le t} (1 - \\beta_s)\n", "$$\n", "\n", "Then $\\mathbf{x}\\,\\sim\\mathcal{N}(0, 1)$ and $$q(\\mathbf{x}_t \\mid\n", "\\mathbf{x}_0)$$ in a line; `$\"{cost} $\"` is code.\n", "\n", "Wrapped $W \\in\n", "\\mathbb{R}^{3}$ math.\n"]},
          {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["var x = 1 < 2;"], "outputs": [
            {"output_type": "stream", "name": "stdout", "text": "a <b> line\n"},
            {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<table class=\"shown\"><tr><td>1</td></tr></table>", "text/plain": "ignored"}},
            {"output_type": "error", "ename": "Oops", "evalue": "bad <value>", "traceback": ["at here"]}]}
        ]}
        """;

    private static NotebookRun FakeRun(string folder, string name, bool passed)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, Notebook);
        return new NotebookRun(name, TimeSpan.FromSeconds(12.5), null,
            [new MetricRecord("stacked: test BCE", 0.2811, "<= 0.2835", passed)], [], path, 1_500_000_000);
    }

    [Fact]
    public void Pages_render_markdown_math_code_and_outputs_and_the_index_shows_the_bars()
    {
        using var folder = new TempFolder();
        var runs = new[] { FakeRun(folder.Path, "01_a.ipynb", true), FakeRun(folder.Path, "02_b.ipynb", false) };
        var index = CourseSite.Write(runs, RunMode.Full, folder.File("site"));

        var indexHtml = File.ReadAllText(index);
        Assert.Contains("<a href=\"01_a.html\">Chapter X — Tests</a><br><span class=\"summary\">What the tests see.</span>", indexHtml);
        Assert.True(indexHtml.IndexOf("Chapter X — Tests", StringComparison.Ordinal) < indexHtml.IndexOf("<table", StringComparison.Ordinal), "titles before the run's table");
        Assert.Contains("stacked: test BCE", indexHtml);
        Assert.Contains("&lt;= 0.2835", indexHtml);
        Assert.Contains(">pass<", indexHtml);
        Assert.Contains(">MISS<", indexHtml);
        Assert.Contains("1500", indexHtml);

        var page = File.ReadAllText(folder.File("site/01_a.html"));
        Assert.Contains("<title>Chapter X — Tests</title>", page);
        Assert.Contains("<span class=\"math\">", page);            // inline math kept for KaTeX, underscores untouched
        Assert.Contains("<div class=\"math\">\\[\\bar\\alpha_t = \\prod_{s \\le t} (1 - \\beta_s)\\]</div>", page);
        // Braces and \, survive markdown; a display equation inside a line stays in it; code keeps its dollars.
        Assert.Contains("<span class=\"math\">\\(\\mathbf{x}\\,\\sim\\mathcal{N}(0, 1)\\)</span>", page);
        Assert.Contains("<span class=\"math display\">\\[q(\\mathbf{x}_t \\mid\n\\mathbf{x}_0)\\]</span>", page);
        Assert.Contains("<code>$&quot;{cost} $&quot;</code>", page);
        Assert.Contains("<span class=\"math\">\\(W \\in\n\\mathbb{R}^{3}\\)</span>", page); // inline math across a soft line break
        Assert.Contains("a_b_c", page);
        Assert.Contains("var x = 1 &lt; 2;", page);
        Assert.Contains("a &lt;b&gt; line", page);
        Assert.Contains("<table class=\"shown\">", page);           // HTML outputs as they are
        Assert.Contains("Oops: bad &lt;value&gt;", page);
        Assert.Contains("href=\"02_b.html\"", page);
        Assert.Contains("src=\"katex/katex.min.js\"", page);
        Assert.DoesNotContain("http", page.Replace("http://www.w3.org", ""));
        foreach (var asset in new[] { "katex/katex.min.js", "katex/katex.min.css", "katex/contrib/auto-render.min.js", "katex/fonts/KaTeX_Main-Regular.woff2" })
            Assert.True(File.Exists(folder.File("site/" + asset)), asset);
    }

    [Fact]
    public void Markdown_cannot_put_script_or_unsafe_links_in_the_book_while_the_course_outputs_still_render()
    {
        var html = MarkdownMath.ToHtml("""
            Raw <script>alert(1)</script> and <img src=x onerror=alert(2)> and <a href="javascript:alert(3)">a</a>.
            [click](javascript:alert(4)), [data](data:text/html;base64,PHNjcmlwdD4=), [spaced]( JaVaScRiPt:alert(5)),
            <javascript:alert(6)>, but [the book](https://homl.info) and [chapter 2](02_stacked_autoencoders.html#top) stay.
            """);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:text", html);
        Assert.DoesNotContain("alert(5)\"", html);
        Assert.Contains("&lt;script&gt;", html);                // shown as text
        Assert.Contains("<a href=\"https://homl.info\">the book</a>", html);
        Assert.Contains("<a href=\"02_stacked_autoencoders.html#top\">chapter 2</a>", html);
        Assert.False(MarkdownMath.IsSafeLink("vbscript:x"));
        Assert.True(MarkdownMath.IsSafeLink("notes/a:b.html"));
    }

    [Fact]
    public void A_failed_write_leaves_the_previous_site_whole()
    {
        using var folder = new TempFolder();
        var good = FakeRun(folder.Path, "01_a.ipynb", true);
        CourseSite.Write([good], RunMode.Full, folder.File("site"));
        // An output whose data is not an object: the page cannot be written, half-way through the site.
        File.WriteAllText(folder.File("02_b.ipynb"), """{"cells": [{"cell_type": "code", "source": "x", "outputs": [{"output_type": "display_data", "data": "text"}]}]}""");
        var broken = good with { Notebook = "02_b.ipynb", ExecutedPath = folder.File("02_b.ipynb") };
        Assert.Throws<InvalidOperationException>(() => CourseSite.Write([good, broken], RunMode.Full, folder.File("site")));
        Assert.True(File.Exists(folder.File("site/index.html")));
        Assert.True(File.Exists(folder.File("site/01_a.html")));
        Assert.False(File.Exists(folder.File("site/02_b.html")));
        Assert.Equal(["site"], Directory.GetDirectories(folder.Path).Select(Path.GetFileName)); // nothing half-built left beside it
    }

    [Fact]
    public async Task Two_runners_writing_the_book_at_once_both_finish_with_a_whole_site()
    {
        using var folder = new TempFolder();
        var runs = new[] { FakeRun(folder.Path, "01_a.ipynb", true), FakeRun(folder.Path, "02_b.ipynb", true) };
        var writers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10; i++) CourseSite.Write(runs, RunMode.Full, folder.File("site"));
        }));
        await Task.WhenAll(writers);
        Assert.All(new[] { "index.html", "01_a.html", "02_b.html", "katex/katex.min.js" }, f => Assert.True(File.Exists(folder.File("site/" + f)), f));
        Assert.Equal(["site"], Directory.GetDirectories(folder.Path).Select(Path.GetFileName));
    }

    /// <summary>
    /// Every page of the book built from every notebook (quick mode), opened in headless Chromium with the network
    /// cut: every chart drew (its SVG exists), every equation rendered with no KaTeX error, no JavaScript error.
    /// </summary>
    [ChromiumFact]
    public async Task Every_page_draws_its_charts_and_equations_offline_without_errors()
    {
        var runs = new List<NotebookRun>();
        foreach (var name in NotebookExecutionTests.Tested) runs.Add(await NotebookExecutionTests.Run(name));
        using var folder = new TempFolder();
        var index = CourseSite.Write(runs, RunMode.Quick, folder.File("site"));

        await using var browser = await OfflineBrowser.StartAsync();
        var totals = (Charts: 0, Equations: 0);
        foreach (var file in new[] { index }.Concat(runs.Select(r => folder.File("site/" + CourseSite.PageName(r.Notebook)))))
        {
            var page = await browser.Context.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
            await page.GotoAsync(new Uri(file).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
            // KaTeX runs on load (deferred scripts); plotly draws synchronously as the page is parsed.
            await page.WaitForFunctionAsync("() => document.querySelectorAll('.math').length === document.querySelectorAll('.math .katex, .math.katex-display, .math .katex-error').length",
                null, new() { Timeout = 30_000 });
            var charts = await OfflineBrowser.ChartsAsync(page);
            var math = await page.EvaluateAsync<int[]>(
                "() => [document.querySelectorAll('.math').length, document.querySelectorAll('.math .katex').length, document.querySelectorAll('.katex-error').length]");
            // TeX left outside rendered math: text outside KaTeX's output, code and scripts that still holds $$ or a command.
            var raw = await page.EvaluateAsync<string[]>("""
                () => {
                  const found = [];
                  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
                    acceptNode: n => n.parentElement.closest('.katex, .katex-display, pre, code, script, style, .code-listing')
                      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
                  for (let n = walker.nextNode(); n; n = walker.nextNode())
                    for (const m of n.textContent.matchAll(/\$\$|\\[A-Za-z]+|\\[,;!()\[\]]/g))
                      found.push(n.textContent.substring(Math.max(0, m.index - 20), m.index + 30).replace(/\s+/g, ' '));
                  return found;
                }
                """);
            var name = Path.GetFileName(file);
            Assert.True(raw.Length == 0, $"{name}: {raw.Length} TeX fragments outside rendered math, e.g. {string.Join(" | ", raw.Take(5))}");
            Assert.True(errors.Count == 0, $"{name}: JavaScript errors: {string.Join(" | ", errors)}");
            Assert.True(charts.Drawn == charts.Charts, $"{name}: {charts.Drawn} of {charts.Charts} charts drew");
            Assert.True(math[2] == 0, $"{name}: {math[2]} equations failed to render");
            Assert.True(math[1] >= math[0], $"{name}: {math[1]} of {math[0]} equations rendered");
            totals = (totals.Charts + charts.Charts, totals.Equations + math[0]);
            await page.CloseAsync();
        }
        Assert.True(totals.Charts >= 50, $"only {totals.Charts} charts in the whole book");
        Assert.True(totals.Equations >= 50, $"only {totals.Equations} equations in the whole book");
    }
}
