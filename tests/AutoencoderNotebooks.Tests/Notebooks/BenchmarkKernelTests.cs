using AutoencoderNotebooks.Benchmark;
using CourseRunner;

namespace AutoencoderNotebooks.Tests.Notebooks;

/// <summary>The benchmark's notebook-kernel row: its code runs after the notebooks' own setup cell (its figures are measured by the benchmark command, never here).</summary>
public class BenchmarkKernelTests
{
    [Fact]
    public async Task The_kernel_row_measures_the_stacked_model_after_the_notebooks_setup_cell()
    {
        var index = BenchmarkCase.Course.ToList().FindIndex(c => c.Name.StartsWith("stacked", StringComparison.Ordinal) && c.BatchSize == 256);

        var result = await BenchmarkCommand.InKernelAsync(RepositoryLayout.Find(), index, seconds: 0.05, rounds: 1);

        Assert.NotNull(result); // null: a cell failed (the benchmark then printed "not measured (the kernel failed)")
        Assert.Equal(256, result.BatchSize);
        Assert.Equal(3 * 2.0 * (784 * 100 + 100 * 30 + 30 * 100 + 100 * 784), result.OperationsPerSample);
        Assert.True(result.LoopSamplesPerSecond > 0 && result.CeilingSamplesPerSecond > 0);
    }
}
