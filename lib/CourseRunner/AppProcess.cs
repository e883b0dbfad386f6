using System.Diagnostics;
using System.Text.Json;
using AutoencoderNotebooks.Book;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Platform;

namespace CourseRunner;

/// <summary>
/// Runs a chapter through its file-based app instead of the notebook kernel (chapter 0; <c>--apps</c>), so the two
/// paths can be compared: the app is built first, then run with <c>dotnet run --no-build</c>, so its seconds are the
/// chapter's, not the compiler's; its metrics and executed notebook come from what it writes to <c>artifacts/apps/</c>.
/// </summary>
public static class AppProcess
{
    /// <summary>Builds and runs the app of <paramref name="notebook"/> in <paramref name="mode"/>; whatever happens, the result is a run.</summary>
    public static async Task<NotebookRun> RunAsync(RepositoryLayout repo, string notebook, RunMode mode, TimeSpan? timeLimit = null)
    {
        var name = Path.GetFileName(notebook);
        var app = AppGenerator.AppPath(repo.Root, notebook);
        var folder = Path.Combine(RepositoryPaths.Artifacts(), AppGenerator.FolderName); // the apps write where they are named: artifacts/apps/
        var (executed, metrics) = (Path.Combine(folder, name), Path.Combine(folder, Path.ChangeExtension(name, ".metrics.json")));
        NotebookRun Failed(string why, TimeSpan elapsed) =>
            new(name, elapsed, new CellFailure(name, 0, why), [], [], File.Exists(executed) ? executed : Path.GetFullPath(notebook));
        if (!File.Exists(app)) return Failed($"{app} does not exist: run `dotnet run --project lib/CourseRunner -- apps`.", TimeSpan.Zero);
        // A previous run's numbers must not stand for this one's.
        if (Directory.Exists(folder)) foreach (var stale in new[] { metrics, executed }) File.Delete(stale);

        var build = await DotnetAsync(repo, ["build", app, "--nologo", "-v:q"], TimeSpan.FromMinutes(10));
        if (build.ExitCode != 0) return Failed($"its app did not build (`dotnet build {Path.GetRelativePath(repo.Root, app)}` {build.Describe()})", TimeSpan.Zero);
        var watch = Stopwatch.StartNew();
        var exit = await DotnetAsync(repo, ["run", "--no-build", app, "--", $"--{mode.ToString().ToLowerInvariant()}"], timeLimit ?? NotebookProcess.DefaultTimeLimit(mode));
        var elapsed = watch.Elapsed;
        if (!File.Exists(metrics)) return Failed($"its app {exit.Describe()} before writing its page", elapsed);
        var recorded = JsonSerializer.Deserialize<List<MetricRecord>>(File.ReadAllText(metrics)) ?? [];
        var failure = exit.ExitCode == 0 && exit.TimedOutAfter is null ? null : new CellFailure(name, 0, $"its app {exit.Describe()}");
        var peak = NotebookDocument.Read(executed, out _) is { } document ? NotebookDocument.PeakMemory(document) : null;
        return new NotebookRun(name, elapsed, failure, recorded, [], executed, peak);
    }

    private static Task<ChildExit> DotnetAsync(RepositoryLayout repo, string[] arguments, TimeSpan timeLimit)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repo.Root, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // As a learner runs it: not inside the build that started this runner (`dotnet run --project` leaves MSBuild's variables set).
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(variable);
        return RunnerProcess.WaitAsync(start, timeLimit);
    }
}
