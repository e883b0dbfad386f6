using AutoencoderNotebooks.Benchmark;
using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Performance;

/// <summary>What the benchmark runs (its figures are measured by the benchmark command, never here).</summary>
public class TrainingBenchmarkTests
{
    /// <summary>Counts the batches it is given and remembers the first sample of each; trains nothing.</summary>
    private sealed class CountingStep : TrainingStep
    {
        public List<float> FirstSamples { get; } = [];
        public override IReadOnlyList<nn.Module> Modules { get; } = [];
        public override IReadOnlyList<optim.Optimizer> Optimizers { get; } = [];

        public override LossTerms Train(Tensor inputs, Tensor targets)
        {
            FirstSamples.Add(inputs[0].item<float>());
            return Loss(inputs, targets);
        }

        protected override LossTerms Loss(Tensor inputs, Tensor targets) => LossTerms.Of(inputs.mean());
    }

    private static BenchmarkCase Case(int batchSize) => new("counting", batchSize, () => (new CountingStep(), []));

    [Theory]
    [InlineData(30, 30)] // three whole epochs of 10 batches, as the notebooks train
    [InlineData(5, 5)]   // fewer steps than an epoch: one partial epoch
    public void The_loop_runs_the_requested_steps_over_shuffled_batches_of_the_whole_set(int steps, int expected)
    {
        using var images = arange(1000f).reshape(1000, 1);
        var step = new CountingStep();

        var samplesPerSecond = TrainingBenchmark.Loop(step, images, Case(100), steps);

        Assert.Equal(expected, step.FirstSamples.Count);
        Assert.True(samplesPerSecond > 0 && double.IsFinite(samplesPerSecond));
        Assert.NotEqual(Enumerable.Range(0, expected).Select(i => i * 100f % 1000f), step.FirstSamples); // shuffled, not in order
    }

    [Fact]
    public void The_ceiling_repeats_one_fixed_batch_after_two_warm_up_steps()
    {
        using var images = arange(1000f).reshape(1000, 1);
        var step = new CountingStep();

        TrainingBenchmark.Ceiling(step, [], images.narrow(0, 200, 100), 7);

        Assert.Equal(Enumerable.Repeat(200f, 9), step.FirstSamples);
    }

    [Fact]
    public void A_measurement_counts_the_models_operations_per_sample_and_times_both_sides()
    {
        manual_seed(3);
        using var images = rand(512, 28, 28);
        var stacked = BenchmarkCase.Course.First(c => c.Name.StartsWith("stacked", StringComparison.Ordinal));

        var result = TrainingBenchmark.Measure(stacked with { BatchSize = 64 }, images, seconds: 0.05, rounds: 1);

        Assert.Equal(3 * 2.0 * (784 * 100 + 100 * 30 + 30 * 100 + 100 * 784), result.OperationsPerSample);
        Assert.True(result.LoopSamplesPerSecond > 0 && result.CeilingSamplesPerSecond > 0);
        Assert.Equal(result.LoopSamplesPerSecond / result.CeilingSamplesPerSecond, result.LoopShareOfCeiling, 12);
    }
}
