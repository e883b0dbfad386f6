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
        var building = full + ".building";
        if (Directory.Exists(building)) Directory.Delete(building, recursive: true);
        Directory.CreateDirectory(building);
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "SiteAssets"), building);
        for (var i = 0; i < runs.Count; i++)
        {
            var document = JsonNode.Parse(File.ReadAllText(runs[i].ExecutedPath))?.AsObject()
                           ?? throw new InvalidDataException($"{runs[i].ExecutedPath}: not a JSON notebook.");
            var previous = i > 0 ? runs[i - 1].Notebook : null;
            var next = i + 1 < runs.Count ? runs[i + 1].Notebook : null;
            File.WriteAllText(Path.Combine(building, PageName(runs[i].Notebook)), NotebookPage(runs[i], document, previous, next));
        }
        File.WriteAllText(Path.Combine(building, "index.html"), IndexPage(runs, mode));
        var old = full + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(full)) Directory.Move(full, old);
        Directory.Move(building, full);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        return Path.Combine(full, "index.html");
    }

    /// <summary>The page of notebook <paramref name="notebook"/>: its file name with <c>.html</c>.</summary>
    public static string PageName(string notebook) => Path.ChangeExtension(Path.GetFileName(notebook), ".html");

    /// <summary>One executed notebook as a page: markdown (with equations) and code cells with their outputs.</summary>
    public static string NotebookPage(NotebookRun run, JsonObject document, string? previous, string? next)
    {
        var body = new StringBuilder();
        body.AppendLine(Navigation(previous, next));
        foreach (var cell in document["cells"]?.AsArray().OfType<JsonObject>() ?? [])
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
        var title = FirstHeading(document) ?? run.Notebook;
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
            var document = File.Exists(run.ExecutedPath) ? JsonNode.Parse(File.ReadAllText(run.ExecutedPath))?.AsObject() : null;
            var title = (document is null ? null : FirstHeading(document)) ?? run.Notebook;
            var summary = (string?)document?["metadata"]?["course"]?["summary"];
            body.AppendLine($"<li><a href=\"{PageName(run.Notebook)}\">{Encode(title)}</a>{(summary is null ? "" : $"<br><span class=\"summary\">{Encode(summary)}</span>")}</li>");
        }
        body.AppendLine("</ul>");
        body.AppendLine("<h2>This run</h2>");
        body.AppendLine($"<p>Executed by the course runner in <b>{mode.ToString().ToLowerInvariant()}</b> mode on " +
                        $"{DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, {Environment.ProcessorCount} cores, " +
                        $"{runs.Sum(r => r.Elapsed.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture)} s in all.</p>");
        body.AppendLine("<table class=\"results\"><thead><tr><th>chapter</th><th>status</th><th>seconds</th><th>peak MB</th><th>metric</th><th>value</th><th>bar</th><th></th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            var status = run.Succeeded ? "ok" : $"failed in cell {run.Failure!.Cell}";
            var link = $"<a href=\"{PageName(run.Notebook)}\">{Encode(run.Notebook)}</a>";
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
                    : $"<td>{Encode(m.Name)}</td><td class=\"number\">{ResultTable.Value(m.Value)}</td><td>{Encode(m.Bar ?? "")}</td><td class=\"{verdict.Trim('(', ')')}\">{verdict}</td>");
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
                return $"<pre class=\"output {(string?)output["name"]}\">{Encode(NotebookText.Of(output["text"]))}</pre>";
            case "error":
                var trace = string.Join("\n", output["traceback"]?.AsArray().Select(l => (string?)l) ?? []);
                return $"<pre class=\"output error\">{Encode($"{(string?)output["ename"]}: {(string?)output["evalue"]}\n{trace}")}</pre>";
            default:
                var data = output["data"]?.AsObject();
                if (data is null) return "";
                if (data["text/html"] is { } html) return $"<div class=\"output html\">{NotebookText.Of(html)}</div>";
                if (data["image/png"] is { } png) return $"<div class=\"output\"><img src=\"data:image/png;base64,{NotebookText.Of(png).Trim()}\" alt=\"\"></div>";
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
        pre.error, td.MISS, td.failed { color: #b00; }
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
        "<nav>" + (previous is null ? "<span></span>" : $"<a href=\"{PageName(previous)}\">← {Encode(previous)}</a>") +
        "<a href=\"index.html\">contents</a>" +
        (next is null ? "<span></span>" : $"<a href=\"{PageName(next)}\">{Encode(next)} →</a>") + "</nav>";

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
