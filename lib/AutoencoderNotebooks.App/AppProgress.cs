using System.Diagnostics;
using AutoencoderNotebooks.Charts;
using AutoencoderNotebooks.Core;

namespace AutoencoderNotebooks.App;

/// <summary>
/// A run's progress in a chapter's app (chapter 2), as the course runner prints a notebook's: on the console the live
/// line at most every <see cref="Interval"/> and the summary; on the page the summary with its epoch lines folded
/// away, as the notebook's progress output ends.
/// </summary>
/// <param name="console">The terminal (what is written here is not a cell's printed output).</param>
/// <param name="label">The run's label.</param>
internal sealed class AppProgress(TextWriter console, string label) : ITrainingCallback
{
    /// <summary>Shortest time between two live lines on the console.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly Stopwatch sinceLine = Stopwatch.StartNew();
    private readonly List<string> lines = [];

    /// <inheritdoc />
    public void BatchEnded(TrainingContext context, BatchResult batch)
    {
        if (sinceLine.Elapsed < Interval) return;
        console.WriteLine($"  {ProgressMarkup.LiveText(label, context, batch)}");
        sinceLine.Restart();
    }

    /// <inheritdoc />
    public void EpochEnded(TrainingContext context, EpochResult epoch) => lines.Add(epoch.Format(context.Settings.Epochs, label));

    /// <inheritdoc />
    public void TrainingEnded(TrainingContext context, bool completed)
    {
        if (!completed) return;
        console.WriteLine($"  {context.History}");
        ChapterPage.Show(new HtmlOutput(ProgressMarkup.Finished(context.History.ToString(), lines)), echo: false);
    }
}
