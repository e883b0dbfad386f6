using System.Diagnostics;
using AutoencoderNotebooks.Platform;
using CourseRunner;

namespace AutoencoderNotebooks.Tests.Runtime;

/// <summary>What the environment says is read the same way wherever it is read: a cell, the runner, a test.</summary>
public class EnvironmentPathsTests
{
    [Fact]
    public void A_relative_artifacts_folder_is_taken_from_the_repository_root_whatever_the_working_directory()
    {
        var (previousValue, previousDirectory) = (Environment.GetEnvironmentVariable(RepositoryPaths.ArtifactsVariable), Directory.GetCurrentDirectory());
        var root = RepositoryPaths.Root();
        try
        {
            Environment.SetEnvironmentVariable(RepositoryPaths.ArtifactsVariable, Path.Combine("..", "elsewhere", "artifacts"));
            var seen = new[] { root, Path.Combine(root, "notebooks"), Path.Combine(root, "lib", "CourseRunner") }.Select(directory =>
            {
                Directory.SetCurrentDirectory(directory); // a cell runs in notebooks/, the runner wherever it was started
                return RepositoryPaths.Artifacts();
            }).Distinct().ToList();
            Assert.Equal([Path.GetFullPath(Path.Combine(root, "..", "elsewhere", "artifacts"))], seen);
        }
        finally
        {
            Directory.SetCurrentDirectory(previousDirectory);
            Environment.SetEnvironmentVariable(RepositoryPaths.ArtifactsVariable, previousValue);
        }
    }

    [Fact]
    public async Task The_runner_honours_the_run_mode_variable_and_names_it_when_it_is_wrong()
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "CourseRunner"))
        {
            WorkingDirectory = RepositoryLayout.Find().Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "no-such-chapter" },
        };
        start.Environment["AUTOENCODER_RUN_MODE"] = "fast";
        using var runner = Process.Start(start)!;
        var (output, error) = (runner.StandardOutput.ReadToEndAsync(), runner.StandardError.ReadToEndAsync());
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await runner.WaitForExitAsync(limit.Token);
        Assert.Equal(2, runner.ExitCode);
        Assert.Contains("AUTOENCODER_RUN_MODE='fast' is not a run mode", await error);
        Assert.Contains("--quick", await error);
        Assert.DoesNotContain("Running", await output);
    }

    [Fact]
    public async Task The_runner_rejects_a_bad_thread_count_before_its_first_notebook()
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "CourseRunner"))
        {
            WorkingDirectory = RepositoryLayout.Find().Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "--quick", "00" },
        };
        start.Environment[AutoencoderNotebooks.Core.CourseThreads.Variable] = "many";
        using var runner = Process.Start(start)!;
        var (output, error) = (runner.StandardOutput.ReadToEndAsync(), runner.StandardError.ReadToEndAsync());
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await runner.WaitForExitAsync(limit.Token);
        Assert.Equal(2, runner.ExitCode);
        Assert.Contains("AUTOENCODER_THREADS='many' is not a thread count", await error);
        Assert.DoesNotContain("Running", await output);
    }
}
