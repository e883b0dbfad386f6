using System.Net;
using System.Text.RegularExpressions;
using AutoencoderNotebooks.Training;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace CourseRunner;

/// <summary>
/// Echoes a notebook's training progress to the runner's console (chapter 0), so a long training cell is
/// never silent headless: the live progress line at most every <see cref="Interval"/>, and every summary.
/// </summary>
/// <param name="log">The runner's console.</param>
/// <param name="notebook">Shown before each line.</param>
public sealed partial class ProgressEcho(TextWriter log, string notebook) : IObserver<KernelEvent>
{
    /// <summary>Shortest time between two echoed live lines.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly System.Diagnostics.Stopwatch sinceLine = System.Diagnostics.Stopwatch.StartNew();
    private string last = "";

    /// <inheritdoc />
    public void OnNext(KernelEvent value)
    {
        var html = value switch
        {
            DisplayedValueProduced d => Html(d.FormattedValues),
            DisplayedValueUpdated u => Html(u.FormattedValues),
            _ => null,
        };
        if (html is null || !html.Contains(NotebookProgress.CssClass, StringComparison.Ordinal)) return;
        var summary = html.Contains(NotebookProgress.CssClass + " done", StringComparison.Ordinal);
        var text = Text(summary ? html[..Math.Max(0, html.IndexOf("<details>", StringComparison.Ordinal))] : html);
        if (text.Length == 0 || text == last || (!summary && sinceLine.Elapsed < Interval)) return;
        log.WriteLine($"  [{notebook}] {text}");
        last = text;
        sinceLine.Restart();
    }

    /// <inheritdoc />
    public void OnCompleted() { }

    /// <inheritdoc />
    public void OnError(Exception error) { }

    private static string? Html(IEnumerable<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == HtmlFormatter.MimeType)?.Value;

    // The last line of the output's text, without tags.
    private static string Text(string html) =>
        WebUtility.HtmlDecode(Tags().Replace(html, "")).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "";

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
