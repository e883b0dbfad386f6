using System.Text.Json.Nodes;
using CourseRunner;

namespace AutoencoderNotebooks.Tests.Notebooks;

/// <summary>Every committed notebook: clean, with the metadata VS Code and Jupyter expect, and the course's structure.</summary>
public class NotebookFilesTests
{
    public static TheoryData<string> Notebooks() => new(RepositoryLayout.Find().Notebooks().Select(p => Path.GetFileName(p)));

    public static IEnumerable<string> NotebookNames() => RepositoryLayout.Find().Notebooks().Select(p => Path.GetFileName(p));

    private static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Find().NotebooksFolder, name)))!.AsObject();

    /// <summary>The source of every code cell of the notebook at <paramref name="path"/>, in order.</summary>
    public static IEnumerable<string> CodeCells(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").Select(c => Source(c!));

    private static string Source(JsonNode cell) => cell["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)cell["source"] ?? "";

    [Fact]
    public void The_course_has_its_foundation_chapters()
    {
        var names = NotebookNames().ToList();
        Assert.Contains("00_setup_and_data.ipynb", names);
        Assert.Contains("01_efficient_representations_pca.ipynb", names);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_without_outputs_or_execution_counts(string name)
    {
        foreach (var cell in Load(name)["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code"))
        {
            Assert.Empty(cell!["outputs"]!.AsArray());
            Assert.Null(cell["execution_count"]?.GetValue<int?>());
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Has_the_metadata_Polyglot_and_Jupyter_expect_for_CSharp(string name)
    {
        var notebook = Load(name);
        var metadata = notebook["metadata"]!;
        Assert.Equal(".net-csharp", (string?)metadata["kernelspec"]!["name"]);
        Assert.Equal("csharp", (string?)metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]);
        Assert.Equal(4, (int)notebook["nbformat"]!);
        foreach (var cell in notebook["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code"))
        {
            Assert.Equal("csharp", (string?)cell!["metadata"]!["polyglot_notebook"]!["kernelName"]);
            Assert.Equal("csharp", (string?)cell["metadata"]!["dotnet_interactive"]!["language"]);
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Starts_with_the_shared_setup_cell(string name)
    {
        var setup = FirstCodeCell("00_setup_and_data.ipynb");
        var first = FirstCodeCell(name);
        Assert.Equal(setup, first);
        Assert.Contains("#r \"nuget: TorchSharp-cpu, 0.107.0\"", first);
        Assert.Contains("Course.Setup()", first);
    }

    private static string FirstCodeCell(string name) =>
        Source(Load(name)["cells"]!.AsArray().First(c => (string?)c!["cell_type"] == "code")!);

    [Fact]
    public void The_setup_cell_references_the_library_and_its_host_from_one_build_folder()
    {
        // Two folders held two copies of the library: an app's build rewrote one, and the kernel then refused the other
        // ("A different assembly with the same name and version has already been loaded").
        var setup = FirstCodeCell("00_setup_and_data.ipynb");
        var folders = System.Text.RegularExpressions.Regex.Matches(setup, "^#r \"([^\"]*)/AutoencoderNotebooks(?:\\.Notebook)?\\.dll\"", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, folders.Count);
        Assert.Single(folders.Distinct());
        Assert.Equal("../lib/AutoencoderNotebooks.Notebook/bin/Debug/net10.0", folders[0]);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Has_objectives_summary_and_exercises_with_solutions(string name)
    {
        var markdown = string.Join("\n", Load(name)["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "markdown").Select(c => Source(c!)));
        Assert.Contains("## Learning objectives", markdown);
        Assert.Contains("## Summary", markdown);
        Assert.Contains("## Exercises", markdown);
        Assert.Contains("### Solutions", markdown);
        Assert.Contains("$", markdown); // equations in LaTeX
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_worked_solution_ends_with_a_written_answer(string name)
    {
        // After "### Solutions": each solution is one or more code cells, then a markdown cell "**Answer N.** …".
        var cells = Load(name)["cells"]!.AsArray().Select(c => ((string?)c!["cell_type"], Source(c!))).ToList();
        var start = cells.FindIndex(c => c.Item1 == "markdown" && c.Item2.Contains("### Solutions"));
        var exercises = System.Text.RegularExpressions.Regex.Matches(cells[start].Item2[cells[start].Item2.IndexOf("## Exercises", StringComparison.Ordinal)..],
            @"^(\d+)\. ", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        var answers = cells.Skip(start + 1).Where(c => c.Item1 == "markdown")
            .Select(c => System.Text.RegularExpressions.Regex.Match(c.Item2, @"^\*\*Answer (\d+)\.\*\* \S")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(exercises, answers);
        Assert.Equal("markdown", cells[^1].Item1); // the last solution's answer closes the notebook
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Writes_no_epoch_loop_of_its_own(string name)
    {
        // Notebooks may define what their chapter is about writing (a loss, a module); training goes through the
        // library's one loop, so no notebook iterates over epochs or steps an optimiser itself.
        var code = string.Join("\n", Load(name)["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").Select(c => Source(c!)));
        Assert.DoesNotMatch(@"for(each)?\s*\(\s*var\s+epoch", code);
        Assert.DoesNotContain(".step()", code);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Scores_and_encodes_only_through_the_library_evaluation_scope(string name)
    {
        // Predict, EncodeAll, ReconstructionScores and the runs switch to eval() and back, without gradients;
        // a bare eval() in a notebook leaves the model in eval mode, a bare no_grad() forgets eval().
        var code = string.Join("\n", CodeCells(Path.Combine(RepositoryLayout.Find().NotebooksFolder, name)));
        Assert.DoesNotContain(".eval()", code);
        Assert.DoesNotContain("no_grad()", code);
    }
}
