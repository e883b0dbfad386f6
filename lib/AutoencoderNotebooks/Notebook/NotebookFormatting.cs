using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.FSharp.Core;
using Plotly.NET;

namespace AutoencoderNotebooks.Notebook;

/// <summary>
/// A piece of HTML for a notebook output (chapter 0). The library's own type, with its own formatter,
/// because kernels may load a different Microsoft.AspNetCore.Html than the one the library was built
/// against, and then show an <c>HtmlString</c> as an object tree instead of rendering it.
/// </summary>
public sealed record HtmlOutput(string Markup)
{
    /// <inheritdoc />
    public override string ToString() => Markup;
}

/// <summary>
/// Registers how notebook outputs render (chapter 0): Plotly.NET charts and <see cref="HtmlOutput"/> as
/// <c>text/html</c>. Plotly.NET.Interactive registers the same chart formatter when a front end loads its
/// kernel extension; registering it here makes charts render in any host, including the in-process kernel
/// the tests use.
/// </summary>
public static class NotebookFormatting
{
    /// <summary>Where notebook front ends load plotly.js from (through require.js, as Plotly.NET.Interactive does).</summary>
    public static readonly string PlotlyJsUrl = $"https://cdn.plot.ly/plotly-{Globals.PLOTLYJS_VERSION}.min";

    private static int installed;

    /// <summary>
    /// A chart as a notebook output: a div and a script that loads plotly.js with require.js (itself loaded
    /// if the page lacks it) and draws the chart, so it renders in VS Code, Jupyter and saved notebooks.
    /// </summary>
    public static string ChartHtml(GenericChart chart)
    {
        // F# optional arguments: null is None.
        var options = DisplayOptions.init(null, null, null, null, null, null, new FSharpOption<PlotlyJSReference>(PlotlyJSReference.NewRequire(PlotlyJsUrl)));
        return GenericChart.toChartHTML(GenericChart.setDisplayOptions(options, chart));
    }

    /// <summary>Registers the formatters; idempotent.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml(chart)), HtmlFormatter.MimeType);
        Formatter.Register<HtmlOutput>((html, writer) => writer.Write(html.Markup), HtmlFormatter.MimeType);
    }
}
