using Microsoft.DotNet.Interactive.Formatting;
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
    private static int installed;

    /// <summary>Registers the formatters; idempotent.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(GenericChart.toChartHTML(chart)), HtmlFormatter.MimeType);
        Formatter.Register<HtmlOutput>((html, writer) => writer.Write(html.Markup), HtmlFormatter.MimeType);
    }
}
