using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Charts;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Platform;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Notebook;

/// <summary>
/// The one setup call at the top of every notebook (chapter 0): makes TorchSharp loadable, installs chart
/// formatting (and, in a kernel, shows the plotly.js the charts draw with), seeds the random number generators,
/// sets the thread count and reads the run mode.
/// </summary>
public static class Course
{
    /// <summary>The seed every chapter starts from.</summary>
    public const int DefaultSeed = 42;

    /// <summary>The current session; set by <see cref="Setup"/>.</summary>
    public static CourseSession Session { get; private set; } =
        new(RunMode.Full, DefaultSeed, CourseThreads.Default, "");

    /// <summary>Prepares the notebook session; safe to run again (re-seeds).</summary>
    /// <param name="seed">The global generator's seed (a model trained through the runner draws its initial weights from its key instead).</param>
    /// <param name="threads">libtorch's thread count; default: <see cref="CourseThreads.FromEnvironment"/>.</param>
    public static CourseSession Setup(int seed = DefaultSeed, int? threads = null)
    {
        LibTorchSharpNativeFix.EnsureLoadable(Console.Out);
        NativeHeap.Tune();
        FSharpCoreRedirect.Install();
        NotebookFormatting.Install();
        NotebookProgress.Install();
        var mode = RunModes.FromEnvironment();
        var threadCount = threads ?? CourseThreads.FromEnvironment();
        set_num_threads(threadCount);
        Seed(seed);
        Session = new CourseSession(mode, seed, threadCount, TorchSharp.torch.__version__ ?? "");
        CourseMetrics.Clear();
        Console.WriteLine($"Course setup: {mode} mode, seed {seed}, {CourseThreads.Describe(threadCount)}, libtorch {Session.TorchSharpVersion}.");
        // Once per notebook: the plotly.js every later chart draws with, so saved notebooks draw offline.
        if (KernelInvocationContext.Current is { } context && ChartHtml.PlotlyLoader() is { } loader)
            context.Display(loader, HtmlFormatter.MimeType);
        return Session;
    }

    /// <summary>Seeds torch's random number generator, so a cell re-run gives the same numbers.</summary>
    public static void Seed(int seed) => manual_seed(seed);
}
