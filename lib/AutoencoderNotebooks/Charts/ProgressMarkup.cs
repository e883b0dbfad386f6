using System.Globalization;
using System.Net;
using AutoencoderNotebooks.Core;

namespace AutoencoderNotebooks.Charts;

/// <summary>
/// How a run's progress looks in a page (chapter 2): the live line while it trains, and once it has finished its
/// summary in bold with the epoch lines folded away. The notebook host's live output and a chapter app's page both
/// draw it; hosts recognise progress by <see cref="CssClass"/>.
/// </summary>
public static class ProgressMarkup
{
    /// <summary>The CSS class of every progress element.</summary>
    public const string CssClass = "training-progress";

    /// <summary>A live line: <paramref name="text"/> as preformatted text.</summary>
    public static string Live(string text) => $"<pre class=\"{CssClass}\">{WebUtility.HtmlEncode(text)}</pre>";

    /// <summary>The live text of <paramref name="batch"/> in a run labelled <paramref name="label"/>.</summary>
    public static string LiveText(string label, TrainingContext context, BatchResult batch) =>
        $"{label}: epoch {batch.Epoch}/{context.Settings.Epochs}, batch {batch.Batch}/{batch.Batches}, " +
        $"loss {batch.Loss.ToString("F4", CultureInfo.InvariantCulture)}, " +
        $"{batch.SamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture)} samples/s";

    /// <summary>A finished run: <paramref name="summary"/> in bold, <paramref name="epochLines"/> folded under "epochs".</summary>
    public static string Finished(string summary, IEnumerable<string> epochLines) =>
        $"<div class=\"{CssClass} done\"><b>{WebUtility.HtmlEncode(summary)}</b><details><summary>epochs</summary><pre>" +
        WebUtility.HtmlEncode(string.Join("\n", epochLines)) + "</pre></details></div>";
}
