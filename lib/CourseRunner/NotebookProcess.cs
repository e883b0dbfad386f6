using System.Text.Json;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Core;

namespace CourseRunner;

/// <summary>What a notebook's own process reports back to the runner (its outputs stay in the executed notebook).</summary>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="Seconds">Wall-clock time of its cells.</param>
/// <param name="Failure">The failing cell, or null.</param>
/// <param name="Metrics">What it recorded.</param>
/// <param name="ExecutedPath">The executed copy.</param>
/// <param name="PeakMemoryBytes">Its process's peak resident memory.</param>
/// <param name="DisplayUpdates">Display updates it sent.</param>
public sealed record NotebookSummary(string Notebook, double Seconds, CellFailure? Failure, List<MetricRecord> Metrics, string ExecutedPath,
    long? PeakMemoryBytes, int DisplayUpdates)
{
    /// <summary>The summary of a run.</summary>
    public static NotebookSummary Of(NotebookRun run) =>
        new(run.Notebook, run.Elapsed.TotalSeconds, run.Failure, run.Metrics.ToList(), run.ExecutedPath, run.PeakMemoryBytes, run.DisplayUpdates);

    /// <summary>Back to a run, without outputs.</summary>
    public NotebookRun ToRun() => new(Notebook, TimeSpan.FromSeconds(Seconds), Failure, Metrics, [], ExecutedPath, PeakMemoryBytes, DisplayUpdates);
}

/// <summary>
/// Runs each notebook in a process of its own (chapter 0), as a notebook front end gives each notebook its own
/// kernel: whatever one chapter leaves in memory (compiled cells, tensors its variables still reach) ends with its
/// process, so every chapter starts from the same baseline and the course's peak is its largest chapter's.
/// </summary>
public static class NotebookProcess
{
    /// <summary>The runner's command that executes one notebook and writes its summary (used by <see cref="RunAsync"/>).</summary>
    public const string Command = "run-one";

    /// <summary>How long a notebook may run in each mode before the runner stops it (<c>--time-limit</c> sets another).</summary>
    public static TimeSpan DefaultTimeLimit(RunMode mode) => TimeSpan.FromMinutes(mode == RunMode.Quick ? 30 : 120);

    /// <summary>
    /// Executes <paramref name="notebook"/> in a child runner process; its console output passes through. Whatever
    /// happens to the child — it crashes, is killed, exits from a cell, runs past <paramref name="timeLimit"/> or finds
    /// no notebook to parse — the result is a run: failed, with the reason, and the executed copy if one was written,
    /// else the notebook itself, so the book still has a page for it.
    /// </summary>
    public static async Task<NotebookRun> RunAsync(string notebook, RunMode mode, TimeSpan? timeLimit = null)
    {
        var summaryPath = RunnerProcess.ReportPath("course-run");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var exit = await RunnerProcess.RunAsync([Command, notebook, mode.ToString().ToLowerInvariant(), summaryPath], timeLimit ?? DefaultTimeLimit(mode));
            if (exit.TimedOutAfter is null && ReadSummary(summaryPath) is { } summary) return summary.ToRun();
            var why = exit.TimedOutAfter is null ? $"its process {exit.Describe()} before reporting" : $"its process {exit.Describe()} (--time-limit sets another)";
            return new NotebookRun(Path.GetFileName(notebook), watch.Elapsed, new CellFailure(Path.GetFileName(notebook), 0, why), [], [], Path.GetFullPath(notebook));
        }
        finally
        {
            File.Delete(summaryPath);
        }
    }

    private static NotebookSummary? ReadSummary(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<NotebookSummary>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null; // cut short as it was written: the child died while reporting
        }
    }

    /// <summary>The child's side: executes the notebook in this process and writes the summary.</summary>
    public static async Task<int> RunHereAsync(string notebook, RunMode mode, string summaryPath)
    {
        var repo = RepositoryLayout.Find();
        var run = await NotebookExecutor.RunAsync(notebook, repo.ArtifactsFolder, mode, Console.Out);
        await File.WriteAllTextAsync(summaryPath, JsonSerializer.Serialize(NotebookSummary.Of(run)));
        return run.Succeeded ? 0 : 1;
    }
}
