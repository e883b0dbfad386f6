using System.Diagnostics;
using AutoencoderNotebooks.Adversarial;
using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Diffusion;
using AutoencoderNotebooks.Variational;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Benchmark;

/// <summary>One model's training step for the benchmark: what the notebooks train, at their batch size.</summary>
/// <param name="Name">The model, as the benchmark table names it.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="Create">A fresh step (with its own model and optimiser) and the modules whose layers it runs.</param>
public sealed record BenchmarkCase(string Name, int BatchSize, Func<(TrainingStep Step, nn.Module[] Modules)> Create)
{
    /// <summary>The course's models at the batch sizes their chapters train them with (and the stacked model at 256).</summary>
    public static IReadOnlyList<BenchmarkCase> Course { get; } =
    [
        Autoencoder("stacked 784-100-30", 128, () => new StackedAutoencoder(StackedAutoencoderConfig.Book), Objective.BinaryCrossEntropy, 2e-3),
        Autoencoder("stacked 784-100-30", 256, () => new StackedAutoencoder(StackedAutoencoderConfig.Book), Objective.BinaryCrossEntropy, 2e-3),
        Autoencoder("convolutional 16-32-64", 128, () => new ConvAutoencoder(ConvAutoencoderConfig.Book), Objective.BinaryCrossEntropy, 3e-3),
        Autoencoder("variational 150-100-10", 128, () => new VariationalAutoencoder(VariationalAutoencoderConfig.Book),
            new VariationalObjective(VaeReconstruction.BinaryCrossEntropy), 1e-3),
        new("DCGAN (Radford)", 128, () =>
        {
            var generator = new GanGenerator(GanConfig.RadfordDcgan);
            var discriminator = new GanDiscriminator(GanConfig.RadfordDcgan);
            return (new AdversarialStep(generator, discriminator, FitSettings.Gan(1)), [generator, discriminator]);
        }),
        new("diffusion UNet 16/32/64", 128, () =>
        {
            var model = new UNet(UNetConfig.Course);
            var average = new UNet(UNetConfig.Course);
            return (new DiffusionStep(model, average, NoiseSchedule.Course, FitSettings.Diffusion(1)), [model]);
        }),
    ];

    private static BenchmarkCase Autoencoder(string name, int batchSize, Func<nn.Module<Tensor, Tensor>> model, Objective objective, double learningRate) =>
        new(name, batchSize, () =>
        {
            var m = model();
            return (ModelStep.Training(m, new FitSettings(1, batchSize, learningRate), objective), [m]);
        });
}

/// <summary>What the benchmark measured for one model.</summary>
/// <param name="Name">The model.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="OperationsPerSample">Floating-point operations of one training step per sample (<see cref="FlopCounter"/>).</param>
/// <param name="LoopSamplesPerSecond">Through <see cref="Trainer"/>: shuffling, batch gathering, scopes, logging.</param>
/// <param name="CeilingSamplesPerSecond">The same step repeated on one fixed batch: what the model itself allows.</param>
public sealed record BenchmarkResult(string Name, int BatchSize, double OperationsPerSample, double LoopSamplesPerSecond, double CeilingSamplesPerSecond)
{
    /// <summary>Achieved GFLOP/s through the course's loop.</summary>
    public double LoopGflops => LoopSamplesPerSecond * OperationsPerSample / 1e9;

    /// <summary>GFLOP/s of the fixed-batch ceiling.</summary>
    public double CeilingGflops => CeilingSamplesPerSecond * OperationsPerSample / 1e9;

    /// <summary>The loop's throughput as a share of the ceiling's.</summary>
    public double LoopShareOfCeiling => LoopSamplesPerSecond / CeilingSamplesPerSecond;
}

/// <summary>
/// The performance benchmark (course-wide): this machine's limit as the GFLOP/s of a large matrix product, and
/// for each model of <see cref="BenchmarkCase.Course"/> the samples/s and GFLOP/s of training through the course's
/// own loop beside the same step's fixed-batch ceiling, so the loop's overhead and each model's distance from the
/// limit are both visible. Each figure is the best of <c>rounds</c> alternating measurements, so a burst of load
/// from elsewhere on a shared machine hurts neither side more than the other.
/// </summary>
public static class TrainingBenchmark
{
    /// <summary>GFLOP/s of an n×n by n×n float32 matrix product (best of <paramref name="repeats"/>).</summary>
    public static double MatrixProductGflops(int n = 4096, int repeats = 5)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        mm(a, b).Dispose(); // warm-up: thread pool, packing buffers
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            mm(a, b).Dispose();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /// <summary>Measures one model: FLOPs per sample, then loop and ceiling throughput, each over about <paramref name="seconds"/>.</summary>
    public static BenchmarkResult Measure(BenchmarkCase benchmark, Tensor images, double seconds = 3, int rounds = 5)
    {
        var (step, modules) = benchmark.Create();
        using var owned = step;
        var batch = images.narrow(0, 0, benchmark.BatchSize);
        double operations;
        using (var counter = new FlopCounter(modules))
        {
            foreach (var m in modules) m.train();
            using var scope = NewDisposeScope();
            step.Train(batch, batch);
            operations = counter.Training / benchmark.BatchSize;
        }
        // Size the runs from a short warm-up, so every model is measured for about the same time.
        var warmUp = Ceiling(step, modules, batch, 3);
        var steps = (int)Math.Clamp(seconds * warmUp / benchmark.BatchSize, 5, 2000);
        // Warm the loop up as well, for a quarter of a run: its first run in a process pays for JIT compilation, and
        // .NET re-compiles hot methods in the background 100 ms after their first calls, competing for the cores.
        // Measured first and cold, the stacked model's loop reached 75% of its ceiling; warm, 86–100%.
        Loop(step, images, benchmark, Math.Max(5, steps / 4));
        double loop = 0, ceiling = 0;
        for (var round = 0; round < rounds; round++)
        {
            loop = Math.Max(loop, Loop(step, images, benchmark, steps));
            ceiling = Math.Max(ceiling, Ceiling(step, modules, batch, steps));
        }
        return new BenchmarkResult(benchmark.Name, benchmark.BatchSize, operations, loop, ceiling);
    }

    /// <summary>
    /// Samples/s of about <paramref name="steps"/> batches through the course's loop, as its epoch lines report them:
    /// whole epochs over <paramref name="images"/> when the steps fill more than one (as the notebooks train), no validation.
    /// </summary>
    public static double Loop(TrainingStep step, Tensor images, BenchmarkCase benchmark, int steps)
    {
        var perEpoch = (int)Math.Min(steps, (images.shape[0] + benchmark.BatchSize - 1) / benchmark.BatchSize);
        var epochs = Math.Max(1, (int)Math.Round((double)steps / perEpoch));
        var settings = new FitSettings(epochs, benchmark.BatchSize, StepsPerEpoch: perEpoch);
        var history = Trainer.Fit(step, images, null, settings, benchmark.Name, progress: TrainingProgress.Silent);
        return history.Epochs.Sum(e => e.SamplesPerSecond * e.Seconds) / history.Seconds;
    }

    /// <summary>Samples/s of the step repeated on one fixed batch, one dispose scope per step, in training mode.</summary>
    public static double Ceiling(TrainingStep step, IEnumerable<nn.Module> modules, Tensor batch, int steps)
    {
        foreach (var m in modules) m.train();
        for (var i = 0; i < 2; i++) // warm-up: the loop trims the heap when it ends
        {
            using var scope = NewDisposeScope();
            step.Train(batch, batch);
        }
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            step.Train(batch, batch);
        }
        return steps * batch.shape[0] / watch.Elapsed.TotalSeconds;
    }
}
