using System.Diagnostics;
using AutoencoderNotebooks.Core;
using CourseRunner;
using Microsoft.Playwright;

namespace AutoencoderNotebooks.Tests.Site;

/// <summary>
/// The course's charts draw offline in a notebook executed by Jupyter itself (not by the course runner): the way a
/// learner saves or exports a chapter, and the way the issue first found every chart empty.
/// </summary>
public class JupyterExportTests
{
    /// <summary>
    /// Chapter 1 executed by <c>jupyter nbconvert --execute --to html</c> with the .NET Interactive C# kernel (quick
    /// mode), the HTML opened in headless Chromium with the network cut: every chart drew from the plotly.js the
    /// setup cell embedded (nbconvert's own page asks for require.js and MathJax online; those fail, the charts must not).
    /// </summary>
    [JupyterFact]
    public async Task A_chapter_executed_and_exported_by_Jupyter_draws_every_chart_offline()
    {
        var repo = RepositoryLayout.Find();
        using var folder = new TempFolder();
        var notebook = Path.Combine(repo.NotebooksFolder, "01_efficient_representations_pca.ipynb");
        var start = new ProcessStartInfo(JupyterFactAttribute.NbConvert!)
        {
            WorkingDirectory = repo.NotebooksFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { [RunModes.Variable] = "quick" },
        };
        foreach (var argument in new[] { "--execute", "--to", "html", $"--ExecutePreprocessor.kernel_name={JupyterFactAttribute.Kernel}",
                     "--ExecutePreprocessor.timeout=900", "--output-dir", folder.Path, notebook })
            start.ArgumentList.Add(argument);
        using (var process = Process.Start(start)!)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
            Assert.True(process.ExitCode == 0, $"jupyter nbconvert failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }
        var html = folder.File("01_efficient_representations_pca.html");

        await using var browser = await OfflineBrowser.StartAsync();
        var page = await browser.Context.NewPageAsync();
        var plotlyErrors = new List<string>();
        page.PageError += (_, e) => { if (e.Contains("Plotly", StringComparison.OrdinalIgnoreCase)) plotlyErrors.Add(e); };
        await page.GotoAsync(new Uri(html).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
        var (charts, drawn) = await OfflineBrowser.ChartsAsync(page);

        Assert.Empty(plotlyErrors);
        Assert.True(charts >= 4, $"the exported chapter holds {charts} charts; chapter 1 draws 4");
        Assert.True(drawn == charts, $"{drawn} of {charts} charts drew offline");
    }
}
