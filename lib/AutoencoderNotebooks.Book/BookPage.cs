using System.Net;
using System.Text.Json.Nodes;
using System.Text;

namespace AutoencoderNotebooks.Book;

/// <summary>
/// One chapter of the HTML book (chapter 0): an executed notebook's markdown with its equations, its code and its
/// outputs, as a page that reads offline from the file system (KaTeX beside it, plotly.js in the setup cell's output).
/// The course runner writes one per notebook it ran; a chapter's file-based app writes its own.
/// </summary>
public static class BookPage
{
    /// <summary>The page of notebook <paramref name="notebook"/>: its file name with <c>.html</c>.</summary>
    public static string PageName(string notebook) => Path.ChangeExtension(Path.GetFileName(notebook), ".html");

    /// <summary>One executed notebook as a page: markdown (with equations) and code cells with their outputs.</summary>
    /// <param name="document">The executed notebook; null when it could not be read (the failure notice is then the page).</param>
    /// <param name="notebook">The notebook's file name: the title when the notebook has no heading.</param>
    /// <param name="failure">Why the chapter did not run to the end, shown first; null when it did.</param>
    /// <param name="previous">The previous chapter's notebook, for the navigation; null for none.</param>
    /// <param name="next">The next chapter's notebook; null for none.</param>
    public static string Chapter(JsonObject? document, string notebook, string? failure, string? previous, string? next)
    {
        var body = new StringBuilder();
        body.AppendLine(Navigation(previous, next));
        if (failure is not null)
            body.AppendLine($"<p class=\"failure\">This chapter did not run to the end: {Encode(failure)}</p>");
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
        var title = (document is null ? null : FirstHeading(document)) ?? notebook;
        return Page(title, body.ToString());
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

    /// <summary>A whole HTML page around <paramref name="body"/>, with the book's style and KaTeX from the page's folder.</summary>
    public static string Page(string title, string body) => $$"""
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

    /// <summary>The notebook's first level-1 heading, or null.</summary>
    public static string? FirstHeading(JsonObject document) =>
        document["cells"]?.AsArray().OfType<JsonObject>()
            .Where(c => (string?)c["cell_type"] == "markdown")
            .SelectMany(c => NotebookText.Of(c["source"]).Split('\n'))
            .FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim();

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Copies the pages' assets (KaTeX) into <paramref name="to"/>, the folder the pages are written to.</summary>
    public static void CopyAssets(string to)
    {
        var from = Path.Combine(AppContext.BaseDirectory, "SiteAssets");
        if (!Directory.Exists(from))
            throw new DirectoryNotFoundException($"{from}: the book's assets (KaTeX) are missing from this program's build output; rebuild it (they come from lib/AutoencoderNotebooks.Book/SiteAssets).");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
