using System.Text.Json.Nodes;

namespace AutoencoderNotebooks.Explorers;

/// <summary>
/// The explorers' JavaScript (chapters 4 and 6), shipped inside the library: <c>dense.js</c>, the dense layers and
/// activations both explorers share, and one file per explorer. Every explorer's output carries the scripts it needs,
/// so it draws on its own — in a notebook front end, the HTML book or an app's page — offline; a page that holds several
/// evaluates each file once (each one returns when it finds itself already loaded).
/// </summary>
public static class ExplorerScripts
{
    /// <summary>The class every explorer's outer element carries (the browser test finds them by it).</summary>
    public const string ExplorerClass = "course-explorer";

    /// <summary>The dense-layer module: <c>window.CourseDense</c>.</summary>
    public static string Dense => Read("dense.js");

    /// <summary>The script of one explorer (<c>latent-explorer.js</c>, <c>denoise-explorer.js</c>).</summary>
    public static string Read(string file)
    {
        using var stream = typeof(ExplorerScripts).Assembly.GetManifestResourceStream("explorers/" + file)
            ?? throw new FileNotFoundException($"The library carries no explorer script '{file}' (embedded as explorers/{file}; rebuild lib/AutoencoderNotebooks).", file);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// A script element that loads <c>dense.js</c> and <paramref name="file"/>, then starts the explorer
    /// <c>CourseExplorers.<paramref name="entry"/></c> on the element <paramref name="id"/> with <paramref name="data"/>.
    /// The JSON escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, so nothing in the data can close the script (base64's
    /// <c>+</c>, which the default encoder also escapes, is written as it is: escaped, each would take six bytes instead of
    /// one, about a tenth more for the weights). Where a front end runs an output's script before it attaches the output (classic Jupyter
    /// Notebook), the start waits for the element.
    /// </summary>
    public static string Start(string id, string file, string entry, JsonObject data) =>
        "<script type=\"text/javascript\">\n" + Dense + "\n" + Read(file) + "\n" +
        $"(function (data, tries) {{ (function start() {{ const element = document.getElementById('{id}'); " +
        $"if (element) CourseExplorers.{entry}(element, data); else if (tries-- > 0) setTimeout(start, 50); }})(); }})(" +
        data.ToJsonString().Replace("\\u002B", "+", StringComparison.Ordinal) + ", 200);\n</script>";

    /// <summary>A fresh element id (outputs of several runs can share a page).</summary>
    public static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..12];
}
