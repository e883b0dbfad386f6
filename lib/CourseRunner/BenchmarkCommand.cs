using AutoencoderNotebooks.Book;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using AutoencoderNotebooks.Benchmark;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive;
using static TorchSharp.torch;

namespace CourseRunner;

/// <summary>
/// <c>dotnet run --project lib/CourseRunner -- benchmark</c> (course-wide): this machine's limit, every model's
/// loop and ceiling throughput headless, and the stacked autoencoder again inside a notebook kernel; prints a
/// table with the bars and exits non-zero when one is missed.
/// </summary>
public static class BenchmarkCommand
{
    /// <summary>The course's loop must reach this share of each model's fixed-batch ceiling.</summary>
    public const double LoopBar = 0.90;

    /// <summary>The stacked autoencoder at batch 256 must reach this share of the machine's limit.</summary>
    public const double StackedBar = 0.35;

    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    public static async Task<int> RunAsync(RepositoryLayout repo, TextWriter output)
    {
        var threads = AutoencoderNotebooks.Core.CourseThreads.FromEnvironment();
        set_num_threads(threads);
        output.WriteLine($"Benchmark on {AutoencoderNotebooks.Platform.CpuInfo.Describe()}, {threads} threads, libtorch {__version__}.");
        var limit = TrainingBenchmark.MatrixProductGflops();
        output.WriteLine($"Limit: {limit:F1} GFLOP/s (4096×4096 float32 torch.mm, best of 5) with {AutoencoderNotebooks.Platform.CpuInfo.InstructionSet()}.");
        manual_seed(42);
        using var images = rand(60_000, 28, 28);
        var results = new List<BenchmarkResult>();
        foreach (var benchmark in BenchmarkCase.Course)
        {
            var result = TrainingBenchmark.Measure(benchmark, images);
            results.Add(result);
            output.WriteLine($"  {result.Name} @ {result.BatchSize}: loop {result.LoopSamplesPerSecond:N0} samples/s, ceiling {result.CeilingSamplesPerSecond:N0}");
        }
        var stacked = results.Single(r => r.Name.StartsWith("stacked", StringComparison.Ordinal) && r.BatchSize == 256);
        var kernel = await InKernelProcessAsync(BenchmarkCase.Course.ToList().FindIndex(c => c.Name == stacked.Name && c.BatchSize == 256));
        output.WriteLine();
        output.WriteLine(Format(limit, results, stacked, kernel));
        var ok = results.All(r => r.LoopShareOfCeiling >= LoopBar) && stacked.LoopGflops / limit >= StackedBar &&
                 (kernel is null || kernel.LoopGflops / limit >= StackedBar);
        return ok ? 0 : 1;
    }

    /// <summary>The table: one row per model, then the stacked model's share of the limit headless and in a kernel.</summary>
    public static string Format(double limit, IReadOnlyList<BenchmarkResult> results, BenchmarkResult stacked, BenchmarkResult? kernel)
    {
        var rows = new List<string[]> { new[] { "model", "batch", "MFLOP/sample", "loop samples/s", "loop GFLOP/s", "ceiling samples/s", "ceiling GFLOP/s", "loop/ceiling", "of limit", "bar" } };
        foreach (var r in results)
            rows.Add([r.Name, N(r.BatchSize), F(r.OperationsPerSample / 1e6, 2), N(r.LoopSamplesPerSecond), F(r.LoopGflops, 1),
                N(r.CeilingSamplesPerSecond), F(r.CeilingGflops, 1), Percent(r.LoopShareOfCeiling), Percent(r.LoopGflops / limit),
                Verdict(r.LoopShareOfCeiling >= LoopBar, $"loop ≥ {LoopBar:P0} of ceiling")]);
        var text = new StringBuilder(ResultTable.Layout(rows, rightAligned: c => c is not (0 or 9)));
        text.AppendLine($"Limit (torch.mm): {F(limit, 1)} GFLOP/s with {AutoencoderNotebooks.Platform.CpuInfo.InstructionSet()}.");
        text.AppendLine($"Stacked 784-100-30 at batch 256, headless: {N(stacked.LoopSamplesPerSecond)} samples/s, {Percent(stacked.LoopGflops / limit)} of the limit  " +
                        Verdict(stacked.LoopGflops / limit >= StackedBar, $"≥ {StackedBar:P0}"));
        text.AppendLine(kernel is null
            ? "Stacked 784-100-30 at batch 256, in a notebook kernel: not measured (the kernel failed; see above)."
            : $"Stacked 784-100-30 at batch 256, in a notebook kernel: {N(kernel.LoopSamplesPerSecond)} samples/s, {Percent(kernel.LoopGflops / limit)} of the limit  " +
              Verdict(kernel.LoopGflops / limit >= StackedBar, $"≥ {StackedBar:P0}"));
        return text.ToString();
    }

    /// <summary>The runner's command that measures one case inside a notebook kernel in a fresh process.</summary>
    public const string KernelCommand = "benchmark-kernel";

    // A fresh process, as a notebook's kernel is: libtorch's worker threads from the headless runs would otherwise
    // still be spinning beside the kernel's (measured: 54,000 instead of 128,000 samples/s on 2 cores).
    private static async Task<BenchmarkResult?> InKernelProcessAsync(int caseIndex)
    {
        var resultPath = RunnerProcess.ReportPath("course-benchmark");
        try
        {
            await RunnerProcess.RunAsync(KernelCommand, caseIndex.ToString(CultureInfo.InvariantCulture), resultPath);
            return File.Exists(resultPath) ? JsonSerializer.Deserialize<BenchmarkResult>(await File.ReadAllTextAsync(resultPath)) : null;
        }
        finally
        {
            File.Delete(resultPath);
        }
    }

    /// <summary>The child's side: measures case <paramref name="caseIndex"/> in a notebook kernel and writes the result.</summary>
    public static async Task<int> RunInKernelAsync(RepositoryLayout repo, int caseIndex, string resultPath)
    {
        var result = await InKernelAsync(repo, caseIndex);
        if (result is null) return 1;
        await File.WriteAllTextAsync(resultPath, JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>
    /// The same measurement inside the .NET Interactive C# kernel the notebooks run in, after the notebooks' own setup
    /// cell; null (and the kernel's message on standard error) when a cell fails. <paramref name="seconds"/> and
    /// <paramref name="rounds"/> as <see cref="TrainingBenchmark.Measure"/> takes them.
    /// </summary>
    public static async Task<BenchmarkResult?> InKernelAsync(RepositoryLayout repo, int caseIndex, double seconds = 3, int rounds = 5)
    {
        var setup = SetupCell(repo.Notebooks().First());
        using var csharp = NotebookExecutor.CreateCSharpKernel();
        using var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(repo.NotebooksFolder);
        try
        {
            foreach (var code in new[]
                     {
                         NotebookExecutor.WithLoadedLibrary(setup),
                         // Qualified names: the setup cell imports the chapters' namespaces, not the benchmark's.
                         "TorchSharp.torch.manual_seed(42); var __images = TorchSharp.torch.rand(60_000, 28, 28);\n" +
                         "var __result = System.Text.Json.JsonSerializer.Serialize(AutoencoderNotebooks.Benchmark.TrainingBenchmark.Measure(" +
                         FormattableString.Invariant($"AutoencoderNotebooks.Benchmark.BenchmarkCase.Course[{caseIndex}], __images, {seconds}, {rounds}));"),
                     })
            {
                var result = await kernel.SendAsync(new SubmitCode(code, csharp.Name));
                if (result.Events.OfType<Microsoft.DotNet.Interactive.Events.CommandFailed>().FirstOrDefault() is { } failed)
                {
                    Console.Error.WriteLine($"The notebook kernel failed: {failed.Message}");
                    return null;
                }
            }
            return csharp.TryGetValue<string>("__result", out var json) ? JsonSerializer.Deserialize<BenchmarkResult>(json) : null;
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    private static string SetupCell(string notebook) =>
        NotebookText.Source(JsonNode.Parse(File.ReadAllText(notebook))?["cells"]?.AsArray().OfType<JsonObject>().First(c => (string?)c["cell_type"] == "code")
                            ?? throw new InvalidDataException($"{notebook}: no code cell."));

    private static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
    private static string F(double v, int digits) => v.ToString("F" + digits, CultureInfo.InvariantCulture);
    private static string Percent(double v) => v.ToString("P0", CultureInfo.InvariantCulture);
    private static string Verdict(bool passed, string bar) => $"{(passed ? "pass" : "MISS")} ({bar})";
}
