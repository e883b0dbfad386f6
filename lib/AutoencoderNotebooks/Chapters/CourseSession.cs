using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Platform;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Chapters;

/// <summary>What a host's setup configured for this session: run mode, seed, threads. (chapter 0)</summary>
public sealed record CourseSession(RunMode Mode, int Seed, int Threads, string TorchSharpVersion)
{
    /// <summary>The seed every chapter starts from.</summary>
    public const int DefaultSeed = 42;

    /// <summary>The current session; set by <see cref="Start"/>.</summary>
    public static CourseSession Current { get; private set; } = new(RunMode.Full, DefaultSeed, CourseThreads.Default, "");

    /// <summary>True in quick mode (bundled sample, few epochs).</summary>
    public bool Quick => Mode == RunMode.Quick;

    /// <summary>Picks the full-mode or the quick-mode value of a setting.</summary>
    public T Pick<T>(T full, T quick) => Quick ? quick : full;

    /// <summary>
    /// What every host's setup does first, whatever shows the outputs (a notebook kernel, a chapter's file-based app):
    /// makes TorchSharp loadable, tunes the native heap, reads the run mode, sets libtorch's thread count, seeds the
    /// global generator, clears the metrics and prints one line saying so. Safe to run again (re-seeds).
    /// </summary>
    /// <param name="seed">The global generator's seed (a model trained through the runner draws its initial weights from its key instead).</param>
    /// <param name="threads">libtorch's thread count; default: <see cref="CourseThreads.FromEnvironment"/>.</param>
    public static CourseSession Start(int seed = DefaultSeed, int? threads = null)
    {
        LibTorchSharpNativeFix.EnsureLoadable(Console.Out);
        NativeHeap.Tune();
        var mode = RunModes.FromEnvironment();
        var threadCount = threads ?? CourseThreads.FromEnvironment();
        set_num_threads(threadCount);
        manual_seed(seed);
        Current = new CourseSession(mode, seed, threadCount, __version__ ?? "");
        CourseMetrics.Clear();
        Console.WriteLine($"Course setup: {mode} mode, seed {seed}, {CourseThreads.Describe(threadCount)}, libtorch {Current.TorchSharpVersion}.");
        return Current;
    }
}
