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
        var saved = await explorer.AttributeAsync("data-model");
        var vae = new VariationalAutoencoder(VariationalAutoencoderConfig.Book with { Codings = 2 });
        Assert.True(ModelStore.For(RunMode.Quick).TryLoad(vae, saved[..saved.LastIndexOf('.')], saved[(saved.LastIndexOf('.') + 1)..]) is not null, $"{saved} is not in the store");
        await ExplorerChecks.LatentAsync(explorer, vae, minChange: 0.05);
        Assert.Empty(explorerErrors);
    }

    // The notebook executed by nbconvert with the .NET Interactive C# kernel in quick mode, exported to HTML in folder.
    private static async Task<string> ExportAsync(string name, string folder)
    {
        var repo = RepositoryLayout.Find();
        await BuildNotebookHostAsync(repo.Root);
        var notebook = Path.Combine(repo.NotebooksFolder, name);
        var start = new ProcessStartInfo(JupyterFactAttribute.NbConvert!)
        {
            WorkingDirectory = repo.NotebooksFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { [RunModes.Variable] = "quick" },
        };
        foreach (var argument in new[] { "--execute", "--to", "html", $"--ExecutePreprocessor.kernel_name={JupyterFactAttribute.Kernel}",
                     "--ExecutePreprocessor.timeout=900", "--output-dir", folder, notebook })
            start.ArgumentList.Add(argument);
        using (var process = Process.Start(start)!)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
            Assert.True(process.ExitCode == 0, $"jupyter nbconvert failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }
        return Path.Combine(folder, Path.ChangeExtension(name, ".html"));
    }

    // The setup cell references the library and the notebook host from their bin folders, and the kernel refuses two
    // different copies of the library. An app's build (`dotnet build apps/….cs`, as the apps' tests run) rebuilds the
    // library's bin copy under its own build properties, so the host's copy can differ until the host is built again:
    // build it, as the setup cell asks a learner to.
    private static async Task BuildNotebookHostAsync(string root)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", Path.Combine("lib", "AutoencoderNotebooks.Notebook", "AutoencoderNotebooks.Notebook.csproj") })
            start.ArgumentList.Add(argument);
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(variable);
        using var process = Process.Start(start)!;
        var (output, errors) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(process.ExitCode == 0, $"dotnet build of the notebook host failed ({process.ExitCode}):\n{await output}\n{await errors}");
    }
}
