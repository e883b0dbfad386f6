using System.Net;
using System.Text.RegularExpressions;
using AutoencoderNotebooks.Notebook;
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
    private int echoedSummaries;

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
        if (value is DisplayedValueProduced) echoedSummaries = 0; // a new cell's panel
        // The panel: each finished run's summary in bold, then the running one's live line.
        var summaries = Summaries().Matches(html).Select(m => Text(m.Groups[1].Value)).ToList();
        for (; echoedSummaries < summaries.Count; echoedSummaries++) Echo(summaries[echoedSummaries]);
        if (Live().Match(html) is { Success: true } live && sinceLine.Elapsed >= Interval) Echo(Text(live.Groups[1].Value));
    }

    private void Echo(string text)
    {
        if (text.Length == 0 || text == last) return;
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

    [GeneratedRegex("<b>(.*?)</b>", RegexOptions.Singleline)]
    private static partial Regex Summaries();

    [GeneratedRegex("<pre class=\"training-progress\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex Live();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
