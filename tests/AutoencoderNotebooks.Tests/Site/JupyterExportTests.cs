using System.Diagnostics;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Explorers;
using AutoencoderNotebooks.Tests.Explorers;
using AutoencoderNotebooks.Variational;
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
        using var folder = new TempFolder();
        var html = await ExportAsync("01_efficient_representations_pca.ipynb", folder.Path);

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

    /// <summary>
    /// Chapter 6 executed and exported by Jupyter: its latent explorer runs in the exported page, offline, and decodes
    /// what the model the kernel trained (loaded here from the store by the name and key the page carries) decodes.
    /// </summary>
    [JupyterFact]
    public async Task The_latent_explorer_runs_in_a_chapter_Jupyter_executed_and_exported()
    {
        using var folder = new TempFolder();
        var html = await ExportAsync("06_variational_autoencoders.ipynb", folder.Path);

        await using var browser = await OfflineBrowser.StartAsync();
        var page = await browser.Context.NewPageAsync();
        var explorerErrors = new List<string>();
        page.PageError += (_, e) => { if (e.Contains("Course", StringComparison.Ordinal)) explorerErrors.Add(e); };
        await page.GotoAsync(new Uri(html).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
        var explorer = await ExplorerPage.FindAsync(page, LatentExplorer.ElementClass);
        var vae = await ExplorerChecks.LoadNamedAsync(explorer, "data-model", ModelStore.For(RunMode.Quick), new VariationalAutoencoder(VariationalAutoencoderConfig.Book with { Codings = 2 }));
        await ExplorerChecks.LatentAsync(explorer, vae, minChange: 0.05);
        Assert.Empty(explorerErrors);
    }

    // The notebook executed by nbconvert with the .NET Interactive C# kernel in quick mode, exported to HTML in folder.
    // The setup cell references the library and the notebook host from their bin folders, and the kernel refuses two
    // different copies of the library. An app's build (`dotnet build apps/….cs`, as the apps' tests run) rebuilds the
    // library's bin copy under its own build properties, so the host's copy can differ until the host is built again:
    // build it first, as the setup cell asks a learner to.
    private static async Task<string> ExportAsync(string name, string folder)
    {
        var repo = RepositoryLayout.Find();
        await RunAsync("dotnet", ["build", Path.Combine("lib", "AutoencoderNotebooks.Notebook", "AutoencoderNotebooks.Notebook.csproj")], repo.Root, quick: false);
        var notebook = Path.Combine(repo.NotebooksFolder, name);
        await RunAsync(JupyterFactAttribute.NbConvert!, ["--execute", "--to", "html", $"--ExecutePreprocessor.kernel_name={JupyterFactAttribute.Kernel}",
            "--ExecutePreprocessor.timeout=900", "--output-dir", folder, notebook], repo.NotebooksFolder, quick: true);
        return Path.Combine(folder, Path.ChangeExtension(name, ".html"));
    }

    // Runs a command to its end within ten minutes and fails the test with its output when it exits non-zero.
    private static async Task RunAsync(string file, string[] arguments, string folder, bool quick)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(variable);
        if (quick) start.Environment[RunModes.Variable] = "quick";
        using var process = Process.Start(start)!;
        var (output, errors) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(file)} {arguments[0]} failed ({process.ExitCode}):\n{await output}\n{await errors}");
    }
}
