using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Platform;
using AutoencoderNotebooks.Tests.Site;
using CourseRunner;
using Microsoft.Playwright;

namespace AutoencoderNotebooks.Tests.Apps;

/// <summary>
/// The chapters as C# file-based apps (<c>apps/*.cs</c>): generated from the notebooks, so the notebook stays the one
/// source, and run with <c>dotnet run</c> without .NET Interactive, writing the chapter's page with the book's renderer.
/// </summary>
public class FileBasedAppTests
{
    private static readonly RepositoryLayout Repo = RepositoryLayout.Find();

    [Fact]
    public void Every_app_is_what_its_notebook_generates()
    {
        var stale = Repo.Notebooks()
            .Where(n => AppGenerator.AppPath(Repo.Root, n) is var app && (!File.Exists(app) || File.ReadAllText(app) != AppGenerator.Generate(n)))
            .Select(Path.GetFileName).ToList();
        Assert.True(stale.Count == 0, $"apps out of date with their notebooks: {string.Join(", ", stale)}; run `dotnet run --project lib/CourseRunner -- apps`.");
        Assert.Equal(Repo.Notebooks().Count(), Directory.GetFiles(Path.Combine(Repo.Root, AppGenerator.FolderName), "*.cs").Length);
    }

    [Fact]
    public void A_cells_shown_values_become_Show_calls_markdown_becomes_comments_and_references_become_directives()
    {
        using var temp = new TempFolder();
        var app = AppGenerator.Generate(Notebook(temp,
            ("markdown", "# Title\n\nThe loss $\\ell(\\mathbf{x})$.\n"),
            ("code", "#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"nuget: Plotly.NET.Interactive, 6.0.0\"\n#r \"../lib/X/bin/Debug/net10.0/X.dll\"\n" +
                     "using AutoencoderNotebooks.Notebook;\nusing static TorchSharp.torch;\n\nvar course = Course.Setup();"),
            ("code", "var x = 1;\ndisplay(x);\nConsole.WriteLine(x);\nx + 1"),
            ("code", "Console.WriteLine(2);")));

        Assert.Contains("#:package TorchSharp-cpu\n", app);
        Assert.DoesNotContain("Plotly.NET.Interactive", app); // the kernel's chart formatting: an app renders charts itself
        Assert.DoesNotContain("#r ", app);
        Assert.Contains("#:project ../lib/AutoencoderNotebooks.App/AutoencoderNotebooks.App.csproj\n", app);
        Assert.Contains("using AutoencoderNotebooks.App;\nusing static TorchSharp.torch;\n", app);
        Assert.DoesNotContain("AutoencoderNotebooks.Notebook", app);
        Assert.Contains("// # Title\n//\n// The loss $\\ell(\\mathbf{x})$.\n", app);
        Assert.Contains("ChapterPage.Cell(1);\n", app);
        Assert.Contains("ChapterPage.Cell(2);\nvar x = 1;\nChapterPage.Show(x);\nConsole.WriteLine(x);\nChapterPage.Show(x + 1);\n", app);
        Assert.Contains("ChapterPage.Cell(3);\nConsole.WriteLine(2);\n", app); // ends in a statement: nothing to show
        Assert.True(app.IndexOf("using ", StringComparison.Ordinal) < app.IndexOf("ChapterPage.Begin(", StringComparison.Ordinal));
        Assert.EndsWith("ChapterPage.End();\n", app);
    }

    [Theory]
    [InlineData("#!time\nvar x = 1;", "magic command")]
    [InlineData("record Point(int X);\nvar p = new Point(1);", "declares type Point")]
    public void A_cell_that_one_file_cannot_express_is_named_with_the_reason(string code, string reason)
    {
        using var temp = new TempFolder();
        var error = Assert.Throws<InvalidDataException>(() => AppGenerator.Generate(Notebook(temp, ("markdown", "# T"), ("code", code))));
        Assert.Contains("cell 1", error.Message);
        Assert.Contains(reason, error.Message);
    }

    /// <summary>
    /// Chapter 1's app built and run the way the README says (quick mode), from a fresh artifacts folder: it exits 0,
    /// its build output holds no .NET Interactive assembly, it reports the same metrics the notebook records, and the
    /// page it writes draws every chart and equation in headless Chromium with the network cut.
    /// </summary>
    [ChromiumFact]
    public async Task Chapter_one_runs_as_an_app_without_the_notebook_host_and_its_page_draws_offline()
    {
        var app = Path.Combine(Repo.Root, AppGenerator.FolderName, "01_efficient_representations_pca.cs");
        var (built, buildOutput) = await Dotnet(["build", app], environment: []);
        Assert.True(built == 0, buildOutput);
        var output = Regex.Match(buildOutput, @"01_efficient_representations_pca\.cs -> (.+)[/\\][^/\\]+\.dll");
        Assert.True(output.Success, buildOutput);
        Assert.Empty(Directory.GetFiles(output.Groups[1].Value, "Microsoft.DotNet.Interactive*.dll"));

        using var artifacts = new TempFolder();
        var (exit, log) = await Dotnet(["run", "--no-build", app, "--", "--quick"], new() { [RepositoryPaths.ArtifactsVariable] = artifacts.Path });
        Assert.True(exit == 0, log);
        var page = Path.Combine(artifacts.Path, "apps", "01_efficient_representations_pca.html");
        Assert.Contains($"Chapter page: {page}", log);
        Assert.Contains("Course setup: Quick mode", log);
        var metrics = JsonSerializer.Deserialize<List<MetricRecord>>(File.ReadAllText(Path.ChangeExtension(page, ".metrics.json")))!;
        Assert.Contains(metrics, m => m.Name == "max principal angle (°)" && m.Value < 2);

        await using var browser = await OfflineBrowser.StartAsync();
        var tab = await browser.Context.NewPageAsync();
        var errors = new List<string>();
        tab.PageError += (_, e) => errors.Add(e);
        await tab.GotoAsync(new Uri(page).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
        await tab.WaitForFunctionAsync("() => document.querySelectorAll('.math').length === document.querySelectorAll('.math .katex, .math.katex-display, .math .katex-error').length",
            null, new() { Timeout = 30_000 });
        var charts = await OfflineBrowser.ChartsAsync(tab);
        Assert.True(errors.Count == 0, string.Join(" | ", errors));
        Assert.True(charts.Charts >= 3 && charts.Drawn == charts.Charts, $"{charts.Drawn} of {charts.Charts} charts drew");
        Assert.Equal(0, await tab.EvaluateAsync<int>("() => document.querySelectorAll('.katex-error').length"));
        Assert.Contains("training-progress done", await tab.ContentAsync()); // the runs' summaries, as the notebook shows them
    }

    /// <summary>A chapter that fails (here in its setup, on a bad thread count): the error first and exit code 1, not the runtime's abort, and its page with the error.</summary>
    [Fact]
    public async Task An_app_that_fails_says_why_exits_with_1_and_writes_its_page_with_the_error()
    {
        var app = Path.Combine(Repo.Root, AppGenerator.FolderName, "00_setup_and_data.cs");
        var (built, buildOutput) = await Dotnet(["build", app], environment: []);
        Assert.True(built == 0, buildOutput);

        using var artifacts = new TempFolder();
        var (exit, log) = await Dotnet(["run", "--no-build", app, "--", "--quick"],
            new() { [RepositoryPaths.ArtifactsVariable] = artifacts.Path, [CourseThreads.Variable] = "abc" });
        Assert.True(exit == 1, $"exit code {exit}: {log}");
        Assert.Contains("The chapter stopped in cell", log);
        Assert.Contains($"{CourseThreads.Variable}='abc' is not a thread count", log);
        Assert.DoesNotContain("Unhandled exception", log);
        var page = Path.Combine(artifacts.Path, "apps", "00_setup_and_data.html");
        Assert.Contains("is not a thread count", File.ReadAllText(page));
    }

    /// <summary>The runner's two paths through chapter 1 (quick mode), the kernel and the app: the same metrics, to the last digit, and a peak memory for both.</summary>
    [Fact]
    public async Task The_runner_gets_the_same_metrics_from_a_chapter_through_its_app_as_through_the_kernel()
    {
        const string name = "01_efficient_representations_pca.ipynb";
        var kernel = await Notebooks.NotebookExecutionTests.Run(name);
        var app = await AppProcess.RunAsync(Repo, Path.Combine(Repo.NotebooksFolder, name), RunMode.Quick);
        Assert.True(app.Succeeded, $"{app.Failure}");
        Assert.True(File.Exists(app.ExecutedPath), app.ExecutedPath);
        Assert.NotEmpty(kernel.Metrics);
        Assert.Equal(kernel.Metrics.Select(m => (m.Name, m.Value)), app.Metrics.Select(m => (m.Name, m.Value)));
        // Its row shows the app's peak resident memory, as a kernel's row does: more than the libtorch it loaded.
        if (OperatingSystem.IsLinux()) Assert.True(app.PeakMemoryBytes > 200_000_000, $"app peak: {app.PeakMemoryBytes}");
    }

    [Fact]
    public async Task Every_chapter_builds_as_an_app()
    {
        var failed = new List<string>();
        foreach (var notebook in Repo.Notebooks())
        {
            var (exit, output) = await Dotnet(["build", AppGenerator.AppPath(Repo.Root, notebook)], environment: []);
            if (exit != 0) failed.Add($"{Path.GetFileName(notebook)}: {string.Join("\n", output.Split('\n').Where(l => l.Contains("error", StringComparison.Ordinal)).Distinct().Take(5))}");
        }
        Assert.True(failed.Count == 0, string.Join("\n", failed));
    }

    private static string Notebook(TempFolder temp, params (string Type, string Source)[] cells)
    {
        var path = temp.File("00_test.ipynb");
        var document = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)new JsonObject
            {
                ["cell_type"] = c.Type,
                ["metadata"] = new JsonObject(),
                ["source"] = c.Source,
            }).ToArray()),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }

    // dotnet, as a learner runs it from the repository root: MSBuild's variables from the test host's own build left out.
    private static async Task<(int ExitCode, string Output)> Dotnet(string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
