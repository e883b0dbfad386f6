using System.Diagnostics;

namespace CourseRunner;

/// <summary>Starts this runner again as a child process with other arguments (chapter 0: a notebook, or a kernel benchmark, per process).</summary>
public static class RunnerProcess
{
    /// <summary>Runs the runner with <paramref name="arguments"/>, its console passed through; returns its exit code.</summary>
    public static async Task<int> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { UseShellExecute = false };
        // Under `dotnet CourseRunner.dll` the host is dotnet and the assembly comes first; under the apphost, not.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet") start.ArgumentList.Add(typeof(RunnerProcess).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>A fresh temporary file path for a child's report (deleted by the caller).</summary>
    public static string ReportPath(string prefix) => Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.json");
}
