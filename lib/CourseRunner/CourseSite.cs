using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text;
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
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "SiteAssets"), building);
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
    public static string PageName(string notebook) => Path.ChangeExtension(Path.GetFileName(notebook), ".html");

    /// <summary>One executed notebook as a page: markdown (with equations) and code cells with their outputs.</summary>
    /// <remarks>
    /// A failed run's page opens with its failure; when the notebook could not be read at all (<paramref name="document"/>
    /// null), that notice is the page.
    /// </remarks>
    public static string NotebookPage(NotebookRun run, JsonObject? document, string? previous, string? next)
    {
        var body = new StringBuilder();
        body.AppendLine(Navigation(previous, next));
        if (run.Failure is { } failure)
            body.AppendLine($"<p class=\"failure\">This chapter did not run to the end: {Encode(failure.Cell > 0 ? $"cell {failure.Cell}: {failure.Error}" : failure.Error)}</p>");
        foreach (var cell in document?["cells"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var source = NotebookText.Of(cell["source"]);
            switch ((string?)cell["cell_type"])
            {
                case "markdown":
                    body.AppendLine($"<section class=\"markdown\">{MarkdownMath.ToHtml(source)}</section>");
                    break;
                case "code":
                    body.AppendLine($"<section class=\"code\"><pre><code class=\"language-csharp\">{Encode(source)}</code></pre>");
                    foreach (var output in cell["outputs"]?.AsArray().OfType<JsonObject>() ?? []) body.AppendLine(Output(output));
                    body.AppendLine("</section>");
                    break;
            }
        }
        body.AppendLine(Navigation(previous, next));
        var title = (document is null ? null : FirstHeading(document)) ?? run.Notebook;
        return Page(title, body.ToString());
    }

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
            var title = (document is null ? null : FirstHeading(document)) ?? run.Notebook;
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
        return Page("Autoencoder Notebooks", body.ToString());
    }

    private static string Output(JsonObject output)
    {
        switch ((string?)output["output_type"])
        {
            case "stream":
                return $"<pre class=\"output {Encode((string?)output["name"] ?? "")}\">{Encode(NotebookText.Of(output["text"]))}</pre>";
            case "error":
                var trace = string.Join("\n", output["traceback"]?.AsArray().Select(l => (string?)l) ?? []);
                return $"<pre class=\"output error\">{Encode($"{(string?)output["ename"]}: {(string?)output["evalue"]}\n{trace}")}</pre>";
            default:
                var data = output["data"]?.AsObject();
                if (data is null) return "";
                if (data["text/html"] is { } html) return $"<div class=\"output html\">{NotebookText.Of(html)}</div>";
                if (data["image/png"] is { } png) return $"<div class=\"output\"><img src=\"data:image/png;base64,{Encode(NotebookText.Of(png).Trim())}\" alt=\"\"></div>";
                if (data["text/plain"] is { } plain) return $"<pre class=\"output\">{Encode(NotebookText.Of(plain))}</pre>";
                return "";
        }
    }

    private static string Page(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Encode(title)}}</title>
        <link rel="stylesheet" href="katex/katex.min.css">
        <script defer src="katex/katex.min.js"></script>
        <script defer src="katex/contrib/auto-render.min.js" onload="renderMathInElement(document.body, {delimiters: [{left: '\\[', right: '\\]', display: true}, {left: '\\(', right: '\\)', display: false}], throwOnError: false})"></script>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
        pre { background: #f6f8fa; padding: 0.6rem; overflow-x: auto; font-size: 0.85rem; }
        section.code > pre:first-child { border-left: 3px solid #4a7; }
        pre.output { background: #fff; border-left: 3px solid #ccc; }
        pre.error, td.MISS, td.failed, p.failure { color: #b00; }
        td.pass, td.ok { color: #070; }
        table { border-collapse: collapse; } th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; vertical-align: top; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        nav { display: flex; justify-content: space-between; margin: 1rem 0; }
        .output.html { overflow-x: auto; }
        </style>
        </head>
        <body>
        {{body}}
        </body>
        </html>
        """;

    private static string Navigation(string? previous, string? next) =>
        "<nav>" + (previous is null ? "<span></span>" : $"<a href=\"{Encode(PageName(previous))}\">← {Encode(previous)}</a>") +
        "<a href=\"index.html\">contents</a>" +
        (next is null ? "<span></span>" : $"<a href=\"{Encode(PageName(next))}\">{Encode(next)} →</a>") + "</nav>";

    private static string? FirstHeading(JsonObject document) =>
        document["cells"]?.AsArray().OfType<JsonObject>()
            .Where(c => (string?)c["cell_type"] == "markdown")
            .SelectMany(c => NotebookText.Of(c["source"]).Split('\n'))
            .FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim();

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static void CopyFolder(string from, string to)
    {
        if (!Directory.Exists(from))
            throw new DirectoryNotFoundException($"{from}: the site's assets (KaTeX) are missing from the runner's build output; rebuild lib/CourseRunner.");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
