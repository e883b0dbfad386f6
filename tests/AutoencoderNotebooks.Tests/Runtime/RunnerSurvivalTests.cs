using AutoencoderNotebooks.Book;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Platform;
using CourseRunner;

namespace AutoencoderNotebooks.Tests.Runtime;

/// <summary>
/// Nothing a notebook does takes the runner down, and nothing the runner started outlives it: a child that exits from a
/// cell, one that runs past its time limit, a file that is not a notebook, and a runner ended by SIGTERM or SIGKILL.
/// </summary>
public class RunnerSurvivalTests
{
    private static string Notebook(TempFolder folder, string name, string code)
    {
        var document = new JsonObject
        {
            ["cells"] = new JsonArray(
                new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "# A chapter that goes wrong" },
                new JsonObject { ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["source"] = code, ["outputs"] = new JsonArray(), ["execution_count"] = null }),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = folder.File(name);
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }

    [LinuxFact]
    public async Task A_notebook_process_that_exits_from_a_cell_is_a_failed_run_and_still_gets_a_page()
    {
        using var folder = new TempFolder();
        var notebook = Notebook(folder, "exits.ipynb", "System.Environment.Exit(3);");
        var run = await NotebookProcess.RunAsync(notebook, RunMode.Quick);

        Assert.False(run.Succeeded);
        Assert.Contains("exited with code 3 before reporting", run.Failure!.Error);
        Assert.Equal(Path.GetFullPath(notebook), run.ExecutedPath); // the page shows the notebook as it is
        var index = CourseSite.Write([run], RunMode.Quick, folder.File("site"));
        var page = File.ReadAllText(folder.File("site/" + CourseSite.PageName(run.Notebook)));
        Assert.Contains("did not run to the end", page);
        Assert.Contains("A chapter that goes wrong", page);
        Assert.Contains("exited with code 3", File.ReadAllText(index));
    }

    [LinuxFact]
    public async Task A_notebook_that_runs_past_its_time_limit_is_stopped_with_its_process()
    {
        using var folder = new TempFolder();
        var notebook = Notebook(folder, "hangs.ipynb", "System.Threading.Thread.Sleep(600_000);");
        var watch = Stopwatch.StartNew();
        var run = await NotebookProcess.RunAsync(notebook, RunMode.Quick, TimeSpan.FromSeconds(20));

        Assert.InRange(watch.Elapsed.TotalSeconds, 20, 60);
        Assert.Contains("time limit of 0.3 min", run.Failure!.Error);
        Assert.Empty(WithArgument(notebook));
    }

    [Fact]
    public async Task A_file_that_is_not_a_notebook_is_a_failed_run_naming_the_file_and_line()
    {
        using var folder = new TempFolder();
        var broken = folder.File("conflict.ipynb");
        File.WriteAllText(broken, "{\n \"cells\": [\n<<<<<<< HEAD\n");
        var run = await NotebookExecutor.RunAsync(broken, folder.File("out"), RunMode.Quick);

        Assert.False(run.Succeeded);
        Assert.Contains(broken, run.Failure!.Error);
        Assert.Contains("line 3", run.Failure.Error);
        CourseSite.Write([run], RunMode.Quick, folder.File("site")); // a page that says so, no exception
        Assert.Contains("is not valid JSON", File.ReadAllText(folder.File("site/conflict.html")));
        var refused = Assert.Throws<InvalidDataException>(() => StudentEdition.Write([broken], folder.File("student")));
        Assert.Contains("conflict.ipynb", refused.Message);
    }

    [LinuxTheory]
    [InlineData(15)] // SIGTERM: a CI cancel, `timeout`, `kill`
    [InlineData(9)]  // SIGKILL: the runner's own process cannot react; the restarted runner under it notices
    public async Task A_runner_ended_by_a_signal_leaves_none_of_its_processes_running(int signal)
    {
        using var folder = new TempFolder();
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var runner = StartRunner(folder, said, "--quick", "00_");

        // Wait for the chain the runner builds: itself, its restart under the heap setting, the notebook's process.
        IReadOnlyList<int> descendants = [];
        for (var waited = 0; waited < 600 && descendants.Count < 2; waited++)
        {
            await Task.Delay(100);
            descendants = ProcessTree.Descendants(runner.Id);
        }
        Assert.True(descendants.Count >= 2, $"the runner started {descendants.Count} process(es), not its restart and a notebook");
        Assert.Equal(0, kill(runner.Id, signal));

        var ended = Stopwatch.StartNew();
        while (descendants.Any(ProcessTree.IsRunning) && ended.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
        Assert.True(runner.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.True(runner.ExitCode == 128 + signal, $"exit code {runner.ExitCode}, not {128 + signal}; the runner said: {string.Join(" | ", said.TakeLast(8))}");
        Assert.DoesNotContain(descendants, ProcessTree.IsRunning);
    }

    /// <summary>
    /// <c>pkill -f CourseRunner</c> signals the runner and its restart under the heap setting at once, and each then
    /// kills the same tree. With <see cref="Process.Kill(bool)"/>, which stops each process before killing it, one
    /// killed the other mid-walk and left the chapter's app stopped and orphaned (1 of 3 tries by hand); leaves first,
    /// nothing is left. Three tries, each while the app trains.
    /// </summary>
    [LinuxFact]
    public async Task Runners_signalled_together_leave_no_app_running_or_stopped()
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            using var folder = new TempFolder();
            using var runner = StartRunner(folder, new(), "--quick", "--apps", "02_");

            // The app is the process below `dotnet run`; wait until it has run a few seconds (built first, if need be).
            var appStarted = false;
            for (var waited = 0; waited < 1200 && !appStarted; waited++)
            {
                await Task.Delay(100);
                appStarted = ProcessTree.Descendants(runner.Id).Any(pid => CommandLine(pid).Contains("/runfile/"));
            }
            Assert.True(appStarted, $"attempt {attempt}: no app process appeared below the runner");
            await Task.Delay(3000);
            var tree = ProcessTree.Descendants(runner.Id);
            var runners = tree.Where(pid => CommandLine(pid).Contains("CourseRunner")).Prepend(runner.Id).ToList();
            Assert.True(runners.Count >= 2, $"attempt {attempt}: {runners.Count} runner process(es), not the runner and its restart");
            foreach (var pid in runners) kill(pid, 15);

            Assert.True(runner.WaitForExit(TimeSpan.FromSeconds(20)), $"attempt {attempt}: the runner did not exit");
            var ended = Stopwatch.StartNew();
            while (tree.Any(ProcessTree.IsRunning) && ended.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
            var left = tree.Where(ProcessTree.IsRunning).Select(pid => $"{pid} {CommandLine(pid)}").ToList();
            foreach (var pid in tree.Where(ProcessTree.IsRunning)) kill(pid, 9); // not into the next test
            Assert.True(left.Count == 0, $"attempt {attempt}: still there: {string.Join("; ", left)}");
        }
    }

    // The runner as CI starts it, writing to `folder`; what it prints is kept in `said`.
    private static Process StartRunner(TempFolder folder, System.Collections.Concurrent.ConcurrentQueue<string> said, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "CourseRunner"))
        {
            WorkingDirectory = RepositoryLayout.Find().Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment[RepositoryPaths.ArtifactsVariable] = folder.Path;
        var runner = Process.Start(start)!;
        runner.OutputDataReceived += (_, e) => { if (e.Data is not null) said.Enqueue(e.Data); };
        runner.ErrorDataReceived += (_, e) => { if (e.Data is not null) said.Enqueue(e.Data); };
        runner.BeginOutputReadLine();
        runner.BeginErrorReadLine();
        return runner;
    }

    private static string CommandLine(int pid) => string.Join(' ', Arguments(pid));

    // A process's command line, argument by argument; empty once it has ended.
    private static string[] Arguments(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return [];
        }
    }

    [Theory]
    [InlineData(3, null, "exited with code 3")]
    [InlineData(137, null, "was killed by signal 9 (SIGKILL: the system's out-of-memory killer, or a kill -9)")]
    [InlineData(139, null, "was killed by signal 11 (SIGSEGV: a crash in native code)")]
    [InlineData(137, 90.0, "was stopped at its time limit of 1.5 min")]
    public void A_childs_end_is_described_in_words(int exitCode, double? limitSeconds, string expected)
    {
        if (OperatingSystem.IsWindows() && limitSeconds is null && exitCode > 128) return; // no signals there
        Assert.Equal(expected, new ChildExit(exitCode, limitSeconds is { } s ? TimeSpan.FromSeconds(s) : null).Describe());
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Processes whose command line holds <paramref name="argument"/>.</summary>
    private static IReadOnlyList<int> WithArgument(string argument) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!))
            .Where(pid => Arguments(pid).Contains(argument)).ToList();
}
