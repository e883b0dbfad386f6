using AutoencoderNotebooks.Book;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.RegularExpressions;
using AutoencoderNotebooks.Platform;

namespace CourseRunner;

/// <summary>
/// The student edition (teaching): every notebook without its worked solutions. The markdown cell that ends
/// with <c>### Solutions</c> keeps its summary and the Exercises heading; each numbered exercise becomes a
/// markdown cell of its own with an empty code cell under it, and the solution cells after it go. Every other
/// cell is copied unchanged, outputs cleared.
/// </summary>
public static partial class StudentEdition
{
    /// <summary>The folder name under the artifacts folder.</summary>
    public const string FolderName = "student";

    /// <summary>The heading that separates the exercises from their worked solutions.</summary>
    public const string SolutionsHeading = "### Solutions";

    /// <summary>
    /// Writes the student copy of every notebook in <paramref name="notebooks"/> into <paramref name="folder"/>. A
    /// notebook that cannot be read or converted does not stop the others: they are written, then an
    /// <see cref="InvalidDataException"/> names every one that was not.
    /// </summary>
    public static IReadOnlyList<string> Write(IEnumerable<string> notebooks, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        var problems = new List<string>();
        foreach (var notebook in notebooks)
        {
            try
            {
                var document = NotebookDocument.Read(notebook, out var problem) ?? throw new InvalidDataException(problem);
                var target = Path.Combine(folder, Path.GetFileName(notebook));
                var student = Convert(document, Path.GetFileName(notebook));
                AtomicFile.Write(target, temp => File.WriteAllText(temp, student.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
                written.Add(target);
            }
            catch (InvalidDataException e)
            {
                problems.Add(e.Message);
            }
        }
        if (problems.Count > 0)
            throw new InvalidDataException($"{problems.Count} notebook(s) have no student copy ({written.Count} written to {folder}): {string.Join(" ", problems)}");
        return written;
    }

    /// <summary>The student edition of one notebook (a new document; <paramref name="document"/> is not changed).</summary>
    public static JsonObject Convert(JsonObject document, string name)
    {
        var copy = document.DeepClone().AsObject();
        var cells = copy["cells"]?.AsArray() ?? throw new InvalidDataException($"{name}: no 'cells' array.");
        var index = cells.Select((c, i) => (Cell: c!.AsObject(), Index: i))
            .Where(x => (string?)x.Cell["cell_type"] == "markdown" && NotebookText.Source(x.Cell).Contains(SolutionsHeading, StringComparison.Ordinal))
            .Select(x => x.Index).DefaultIfEmpty(-1).Single();
        if (index < 0)
            throw new InvalidDataException($"{name}: no markdown cell with '{SolutionsHeading}': the course runner cannot tell the exercises from their solutions.");

        var text = NotebookText.Source(cells[index]!.AsObject());
        var exercisesAt = text.IndexOf("## Exercises", StringComparison.Ordinal);
        if (exercisesAt < 0) throw new InvalidDataException($"{name}: the cell with '{SolutionsHeading}' has no '## Exercises' heading.");
        var exercises = text[exercisesAt..text.IndexOf(SolutionsHeading, StringComparison.Ordinal)];
        var items = ExerciseItem().Matches(exercises);
        if (items.Count == 0) throw new InvalidDataException($"{name}: no numbered exercise under '## Exercises'.");

        var kept = text[..exercisesAt] + exercises[..items[0].Index].TrimEnd() + "\n";
        SetSource(cells[index]!.AsObject(), kept);
        while (cells.Count > index + 1) cells.RemoveAt(index + 1);
        foreach (Match item in items)
        {
            var number = item.Groups[1].Value;
            var prompt = string.Join("\n", item.Groups[2].Value.TrimEnd().Split('\n').Select(l => l.TrimStart()));
            cells.Add(Cell("markdown", $"student-{number}-prompt", $"**Exercise {number}.** {prompt}"));
            cells.Add(Cell("code", $"student-{number}-answer", ""));
        }
        foreach (var cell in cells.OfType<JsonObject>().Where(c => (string?)c["cell_type"] == "code"))
        {
            cell["outputs"] = new JsonArray();
            cell["execution_count"] = null;
        }
        return copy;
    }

    private static void SetSource(JsonObject cell, string text) =>
        cell["source"] = new JsonArray(SplitLines(text).Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());

    private static IEnumerable<string> SplitLines(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            yield return text[start..(i + 1)];
            start = i + 1;
        }
        if (start < text.Length) yield return text[start..];
    }

    private static JsonObject Cell(string type, string id, string source)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = type,
            ["id"] = id,
            ["metadata"] = type == "code"
                ? new JsonObject
                {
                    ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
                    ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
                }
                : new JsonObject(),
        };
        if (type == "code")
        {
            cell["execution_count"] = null;
            cell["outputs"] = new JsonArray();
        }
        SetSource(cell, source);
        return cell;
    }

    // "1. text" up to the next numbered item or the end, continuation lines included.
    [GeneratedRegex(@"^(\d+)\. (.*?)(?=^\d+\. |\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ExerciseItem();
}
