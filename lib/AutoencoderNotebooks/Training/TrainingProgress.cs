using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.DotNet.Interactive;
using AutoencoderNotebooks.Notebook;
using Microsoft.DotNet.Interactive.Formatting;

namespace AutoencoderNotebooks.Training;

/// <summary>Receives training progress (chapter 2).</summary>
public interface ITrainingProgress
{
    /// <summary>After each optimiser step.</summary>
    void Batch(int epoch, int epochs, int batch, int batches, double loss, double samplesPerSecond);

    /// <summary>After each epoch.</summary>
    void Epoch(EpochResult result, int epochs);

    /// <summary>When training ends.</summary>
    void Finished(TrainingHistory history);
}

/// <summary>Chooses the progress display: live HTML in a notebook, one line per epoch elsewhere. (chapter 2)</summary>
public static class TrainingProgress
{
    /// <summary>A live display when running inside a notebook cell, else console lines.</summary>
    public static ITrainingProgress Automatic(string label) =>
        KernelInvocationContext.Current is not null ? new NotebookProgress(label) : new ConsoleProgress(Console.Out, label);
}

/// <summary>Headless progress: one line per epoch, then the summary. (chapter 2)</summary>
public sealed class ConsoleProgress(TextWriter writer, string label) : ITrainingProgress
{
    /// <inheritdoc />
    public void Batch(int epoch, int epochs, int batch, int batches, double loss, double samplesPerSecond) { }

    /// <inheritdoc />
    public void Epoch(EpochResult result, int epochs) => writer.WriteLine(result.Format(epochs, label));

    /// <inheritdoc />
    public void Finished(TrainingHistory history) => writer.WriteLine(history.ToString());
}

/// <summary>
/// Notebook progress: one output that updates in place (epoch, batch, loss, samples/s) at most twice a
/// second, and ends as a compact summary with the epoch lines folded away (chapter 2). Front ends that save
/// every update as a new output (dotnet-repl) therefore save a handful, not one per epoch.
/// </summary>
public sealed class NotebookProgress : ITrainingProgress
{
    /// <summary>The CSS class of every progress output; hosts (the course runner) recognise progress by it.</summary>
    public const string CssClass = "training-progress";

    /// <summary>Shortest time between two live updates.</summary>
    public static readonly TimeSpan UpdateInterval = TimeSpan.FromMilliseconds(500);

    private readonly string label;
    private readonly DisplayedValue? display;
    private readonly List<string> lines = [];
    private readonly Stopwatch sinceUpdate = Stopwatch.StartNew();

    /// <summary>Creates the live output in the current cell.</summary>
    public NotebookProgress(string label)
    {
        this.label = label;
        display = KernelInvocationContext.Current?.Display(Pre($"{label}: starting…"), "text/html");
    }

    /// <inheritdoc />
    public void Batch(int epoch, int epochs, int batch, int batches, double loss, double samplesPerSecond)
    {
        if (sinceUpdate.Elapsed < UpdateInterval) return;
        Update($"{label}: epoch {epoch}/{epochs}, batch {batch}/{batches}, loss {loss.ToString("F4", CultureInfo.InvariantCulture)}, " +
               $"{samplesPerSecond.ToString("N0", CultureInfo.InvariantCulture)} samples/s");
    }

    /// <inheritdoc />
    public void Epoch(EpochResult result, int epochs)
    {
        lines.Add(result.Format(epochs, label));
        if (sinceUpdate.Elapsed >= UpdateInterval) Update(string.Join("\n", lines.TakeLast(3)));
    }

    /// <inheritdoc />
    public void Finished(TrainingHistory history)
    {
        var html = $"<div class=\"{CssClass} done\"><b>{WebUtility.HtmlEncode(history.ToString())}</b><details><summary>epochs</summary><pre>" +
                   WebUtility.HtmlEncode(string.Join("\n", lines)) + "</pre></details></div>";
        display?.Update(new HtmlOutput(html));
    }

    private void Update(string text)
    {
        display?.Update(Pre(text));
        sinceUpdate.Restart();
    }

    private static HtmlOutput Pre(string text) => new($"<pre class=\"{CssClass}\">{WebUtility.HtmlEncode(text)}</pre>");
}
