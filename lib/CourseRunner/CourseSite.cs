using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text;
using AutoencoderNotebooks.Book;
using AutoencoderNotebooks.Core;

namespace CourseRunner;

/// <summary>
/// The HTML book the course runner writes to <c>artifacts/site/</c> (chapter 0): an index page with every executed
/// chapter's status, seconds, peak memory and metrics against their bars, and one page per executed notebook with
/// its markdown, equations, code and outputs. Everything it needs is inside the folder (KaTeX from
/// <c>SiteAssets/</c>, plotly.js from each notebook's setup output), so it reads offline from the file system.
/// </summary>
public static class CourseSite
{
    /// <summary>The site's folder name under the artifacts folder.</summary>
    public const string FolderName = "site";

    /// <summary>
    /// Writes the site for <paramref name="runs"/> into <paramref name="siteFolder"/>, replacing what was there:
    /// it is built in a sibling folder first, so a failure leaves the previous site whole. Returns the index page.
    /// </summary>
    public static string Write(IReadOnlyList<NotebookRun> runs, RunMode mode, string siteFolder)
    {
        var full = Path.GetFullPath(siteFolder);
        // Names of this process's own: two runners on one checkout never delete each other's half-built site.
        var building = $"{full}.building-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(building);
        try
        {
            WritePages(runs, mode, building);
            Swap(building, full);
        }
        finally
        {
            if (Directory.Exists(building)) Directory.Delete(building, recursive: true);
        }
        return Path.Combine(full, "index.html");
    }

    // Moves the previous site aside and the new one in; when another runner's site lands in between, the last one wins
    // and neither is left half-written.
    private static void Swap(string building, string full)
    {
        for (var attempt = 1; ; attempt++)
        {
            var old = $"{full}.old-{Environment.ProcessId}-{Guid.NewGuid():N}";
            try
            {
                if (Directory.Exists(full)) Directory.Move(full, old);
                Directory.Move(building, full);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // Another runner moved a site in or out at the same moment: try again.
            }
            finally
            {
                if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
            }
        }
    }

    private static void WritePages(IReadOnlyList<NotebookRun> runs, RunMode mode, string building)
    {
        BookPage.CopyAssets(building);
        for (var i = 0; i < runs.Count; i++)
        {
            var document = ReadExecuted(runs[i]);
            var previous = i > 0 ? runs[i - 1].Notebook : null;
            var next = i + 1 < runs.Count ? runs[i + 1].Notebook : null;
            File.WriteAllText(Path.Combine(building, PageName(runs[i].Notebook)), NotebookPage(runs[i], document, previous, next));
        }
        File.WriteAllText(Path.Combine(building, "index.html"), IndexPage(runs, mode));
    }

    /// <summary>The executed notebook of <paramref name="run"/>, or null when there is none or it cannot be read (the page says why).</summary>
    private static JsonObject? ReadExecuted(NotebookRun run) =>
        run.ExecutedPath.Length > 0 ? NotebookDocument.Read(run.ExecutedPath, out _) : null;

    /// <summary>The page of notebook <paramref name="notebook"/>: its file name with <c>.html</c>.</summary>
    public static string PageName(string notebook) => BookPage.PageName(notebook);

    /// <summary>One executed notebook as a page, opening with the run's failure when it did not run to the end.</summary>
    public static string NotebookPage(NotebookRun run, JsonObject? document, string? previous, string? next) =>
        BookPage.Chapter(document, run.Notebook,
            run.Failure is { } failure ? (failure.Cell > 0 ? $"cell {failure.Cell}: {failure.Error}" : failure.Error) : null, previous, next);

    /// <summary>
    /// The index: the chapters' titles with one line each (the notebook's <c>metadata.course.summary</c>), then every
    /// executed chapter with its status, time, memory and metrics against their bars.
    /// </summary>
    public static string IndexPage(IReadOnlyList<NotebookRun> runs, RunMode mode)
    {
        var body = new StringBuilder();
        body.AppendLine("<h1>Autoencoder Notebooks</h1>");
        body.AppendLine("<ul class=\"chapters\">");
        foreach (var run in runs)
        {
            var document = ReadExecuted(run);
            var title = (document is null ? null : BookPage.FirstHeading(document)) ?? run.Notebook;
            var summary = (string?)document?["metadata"]?["course"]?["summary"];
            body.AppendLine($"<li><a href=\"{Encode(PageName(run.Notebook))}\">{Encode(title)}</a>{(summary is null ? "" : $"<br><span class=\"summary\">{Encode(summary)}</span>")}</li>");
        }
        body.AppendLine("</ul>");
        body.AppendLine("<h2>This run</h2>");
        body.AppendLine($"<p>Executed by the course runner in <b>{mode.ToString().ToLowerInvariant()}</b> mode on " +
                        $"{DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC on {Encode(AutoencoderNotebooks.Platform.CpuInfo.Describe())}, " +
                        $"{runs.Sum(r => r.Elapsed.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture)} s in all.</p>");
        body.AppendLine("<table class=\"results\"><thead><tr><th>chapter</th><th>status</th><th>seconds</th><th>peak MB</th><th>metric</th><th>value</th><th>bar</th><th></th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            var status = run.Succeeded ? "ok" : run.Failure!.Cell > 0 ? $"failed in cell {run.Failure.Cell}" : $"failed: {Encode(run.Failure.Error)}";
            var link = $"<a href=\"{Encode(PageName(run.Notebook))}\">{Encode(run.Notebook)}</a>";
            var seconds = run.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
            var peak = run.PeakMemoryBytes is { } bytes ? (bytes / 1e6).ToString("F0", CultureInfo.InvariantCulture) : "";
            var rows = Math.Max(1, run.Metrics.Count);
            for (var i = 0; i < rows; i++)
            {
                var m = i < run.Metrics.Count ? run.Metrics[i] : null;
                var verdict = m is null ? "" : ResultTable.Verdict(m, mode);
                body.Append("<tr>");
                if (i == 0)
                    body.Append($"<td rowspan=\"{rows}\">{link}</td><td rowspan=\"{rows}\" class=\"{(run.Succeeded ? "ok" : "failed")}\">{status}</td>" +
                                $"<td rowspan=\"{rows}\" class=\"number\">{seconds}</td><td rowspan=\"{rows}\" class=\"number\">{peak}</td>");
                body.Append(m is null
                    ? "<td></td><td></td><td></td><td></td>"
                    : $"<td>{Encode(m.Name)}</td><td class=\"number\">{ResultTable.Value(m.Value)}</td><td>{Encode(m.Bar ?? "")}</td><td class=\"{Encode(verdict.Trim('(', ')'))}\">{verdict}</td>");
                body.AppendLine("</tr>");
            }
        }
        body.AppendLine("</tbody></table>");
        return BookPage.Page("Autoencoder Notebooks", body.ToString());
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
