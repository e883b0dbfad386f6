using System.Diagnostics;
using AutoencoderNotebooks.Platform;

namespace CourseRunner;

/// <summary>Starts this runner again as a child process with other arguments (chapter 0: a notebook, or a kernel benchmark, per process).</summary>
public static class RunnerProcess
{
    /// <summary>
    /// When this process does not run with <see cref="NativeHeap.HeapTunable"/> yet (Linux): runs the runner again with
    /// it and the same <paramref name="arguments"/>, and returns the child's exit code; otherwise null (carry on here).
    /// </summary>
    public static async Task<int?> WithTunedHeapAsync(string[] arguments) =>
        NativeHeap.TunablesToRestartWith() is { } tunables ? (await RunAsync(arguments, tunables, timeLimit: null)).ExitCode : null;

    /// <summary>Runs the runner with <paramref name="arguments"/>, its console passed through; returns its exit code.</summary>
    public static async Task<int> RunAsync(params string[] arguments) => (await RunAsync(arguments, tunables: null, timeLimit: null)).ExitCode;

    /// <summary>
    /// Runs the runner with <paramref name="arguments"/>, its console passed through, and kills it with everything it
    /// started when it runs longer than <paramref name="timeLimit"/>.
    /// </summary>
    public static Task<ChildExit> RunAsync(string[] arguments, TimeSpan timeLimit) => RunAsync(arguments, tunables: null, timeLimit);

    private static async Task<ChildExit> RunAsync(string[] arguments, string? tunables, TimeSpan? timeLimit)
    {
        var start = ProgramProcess.StartInfo(typeof(RunnerProcess).Assembly, arguments);
        if (tunables is not null) start.Environment[NativeHeap.TunablesVariable] = tunables;
        return await WaitAsync(start, timeLimit);
    }

    /// <summary>
    /// Starts <paramref name="start"/> as a child that ends with this process (see <see cref="ChildProcesses"/>) and
    /// waits for it; kills it with everything it started when it runs longer than <paramref name="timeLimit"/>.
    /// </summary>
    public static async Task<ChildExit> WaitAsync(ProcessStartInfo start, TimeSpan? timeLimit)
    {
        using var process = ChildProcesses.Start(start);
        using var limit = timeLimit is { } span ? new CancellationTokenSource(span) : new CancellationTokenSource();
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            ChildProcesses.Kill(process);
            await process.WaitForExitAsync();
            return new ChildExit(process.ExitCode, TimedOutAfter: timeLimit);
        }
        ChildProcesses.HoldIfEnding();
        ChildProcesses.Forget(process);
        return new ChildExit(process.ExitCode, TimedOutAfter: null);
    }

    /// <summary>A fresh temporary file path for a child's report (deleted by the caller).</summary>
    public static string ReportPath(string prefix) => Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.json");
}

/// <summary>How a child process ended.</summary>
/// <param name="ExitCode">Its exit code; on Unix 128 + the signal's number when a signal ended it.</param>
/// <param name="TimedOutAfter">The time limit it was killed at, or null when it exited by itself.</param>
public sealed record ChildExit(int ExitCode, TimeSpan? TimedOutAfter)
{
    /// <summary>What happened, for a failure message: "exited with code 3", "was killed by signal 9 (SIGKILL) …".</summary>
    public string Describe() => TimedOutAfter is { } limit
        ? $"was stopped at its time limit of {limit.TotalMinutes:0.#} min"
        : !OperatingSystem.IsWindows() && ExitCode is > 128 and < 160
            ? $"was killed by signal {ExitCode - 128}{SignalName(ExitCode - 128)}"
            : $"exited with code {ExitCode}";

    private static string SignalName(int signal) => signal switch
    {
        9 => " (SIGKILL: the system's out-of-memory killer, or a kill -9)",
        6 => " (SIGABRT: a native library aborted)",
        11 => " (SIGSEGV: a crash in native code)",
        15 => " (SIGTERM)",
        2 => " (SIGINT)",
        _ => "",
    };
}
