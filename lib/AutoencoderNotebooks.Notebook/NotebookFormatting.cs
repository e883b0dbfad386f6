using AutoencoderNotebooks.Charts;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace AutoencoderNotebooks.Notebook;

/// <summary>
/// Registers how notebook outputs render in a .NET Interactive kernel (chapter 0): Plotly.NET charts and
/// <see cref="HtmlOutput"/> as <c>text/html</c>, through <see cref="ChartHtml"/>, in any kernel, including the
/// in-process kernel the tests use.
/// </summary>
public static class NotebookFormatting
{
    private static int installed;

    /// <summary>Registers the formatters; idempotent.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.Of(chart)), HtmlFormatter.MimeType);
        Formatter.Register<HtmlOutput>((html, writer) => writer.Write(html.Markup), HtmlFormatter.MimeType);
    }
}
