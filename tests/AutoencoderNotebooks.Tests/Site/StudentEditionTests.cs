using AutoencoderNotebooks.Book;
using System.Text.Json.Nodes;
using CourseRunner;

namespace AutoencoderNotebooks.Tests.Site;

/// <summary>The student edition drops every worked solution and nothing else.</summary>
public class StudentEditionTests
{
    private static readonly RepositoryLayout Repo = RepositoryLayout.Find();

    public static TheoryData<string> Notebooks() => new(Repo.Notebooks().Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void No_solution_survives_and_every_other_cell_is_unchanged(string name)
    {
        var original = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.NotebooksFolder, name)))!.AsObject();
        var student = StudentEdition.Convert(original, name);
        var before = original["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var after = student["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var solutionsAt = before.FindIndex(c => NotebookText.Source(c).Contains(StudentEdition.SolutionsHeading));

        for (var i = 0; i < solutionsAt; i++)
            Assert.True(JsonNode.DeepEquals(before[i], after[i]), $"{name}: cell {i + 1} changed");
        var exercisesCell = NotebookText.Source(after[solutionsAt]);
        Assert.DoesNotContain(StudentEdition.SolutionsHeading, exercisesCell);
        Assert.StartsWith(NotebookText.Source(before[solutionsAt])[..NotebookText.Source(before[solutionsAt]).IndexOf("## Exercises")], exercisesCell);

        // Lines only the solutions have (a solution may repeat a line of the chapter, such as a chart call).
        var solutionCells = before.Skip(solutionsAt + 1).Where(c => (string?)c["cell_type"] == "code").ToList();
        var chapterLines = before.Take(solutionsAt).SelectMany(c => NotebookText.Source(c).Split('\n')).Select(l => l.Trim()).ToHashSet();
        var solutionLines = solutionCells.SelectMany(c => NotebookText.Source(c).Split('\n')).Select(l => l.Trim())
            .Where(l => l.Length > 3 && !chapterLines.Contains(l)).ToHashSet();
        Assert.True(solutionLines.Count >= 3, $"{name}: {solutionLines.Count} solution lines");
        foreach (var cell in after)
            Assert.DoesNotContain(NotebookText.Source(cell).Split('\n').Select(l => l.Trim()), solutionLines.Contains);

        // Each exercise (one per worked answer the original has): its prompt, then an empty code cell to answer in.
        var answers = before.Skip(solutionsAt + 1).Count(c => (string?)c["cell_type"] == "markdown" && NotebookText.Source(c).StartsWith("**Answer ", StringComparison.Ordinal));
        var added = after.Skip(solutionsAt + 1).ToList();
        Assert.True(answers >= 3, $"{name}: {answers} worked answers");
        Assert.Equal(2 * answers, added.Count);
        for (var k = 0; k < added.Count; k += 2)
        {
            Assert.Equal("markdown", (string?)added[k]["cell_type"]);
            Assert.StartsWith($"**Exercise {k / 2 + 1}.**", NotebookText.Source(added[k]));
            Assert.Equal("code", (string?)added[k + 1]["cell_type"]);
            Assert.Equal("", NotebookText.Source(added[k + 1]));
            Assert.Empty(added[k + 1]["outputs"]!.AsArray());
        }
        Assert.Equal(after.Count, after.Select(c => (string?)c["id"]).Distinct().Count());
    }

    [Fact]
    public void A_notebook_without_a_solutions_heading_is_refused_by_name()
    {
        var document = JsonNode.Parse("""{"cells": [{"cell_type": "markdown", "source": ["# Title\n"], "metadata": {}}]}""")!.AsObject();
        var error = Assert.Throws<InvalidDataException>(() => StudentEdition.Convert(document, "10_new_chapter.ipynb"));
        Assert.Contains("10_new_chapter.ipynb", error.Message);
        Assert.Contains(StudentEdition.SolutionsHeading, error.Message);
    }

    [Fact]
    public void The_written_copies_replace_the_files_whole()
    {
        using var folder = new TempFolder();
        var written = StudentEdition.Write(Repo.Notebooks().Take(2), folder.Path);
        Assert.Equal(2, written.Count);
        Assert.All(written, path => JsonNode.Parse(File.ReadAllText(path)));
        Assert.Equal(2, Directory.GetFiles(folder.Path).Length);
    }
}
