using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace AutoencoderNotebooks.Charts;

/// <summary>
/// Renders Plotly.NET charts as HTML cell outputs (chapter 0). Plotly.NET.Interactive registers the same
/// formatter when a front end loads its kernel extension; registering it here makes charts render in any
/// host, including the in-process kernel the tests use.
/// </summary>
public static class ChartFormatting
{
    private static int installed;

    /// <summary>Registers the <c>text/html</c> formatter for <see cref="GenericChart"/>; idempotent.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(GenericChart.toChartHTML(chart)), HtmlFormatter.MimeType);
    }
}
