using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Charts;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Notebook;

/// <summary>
/// The one setup call at the top of every notebook (chapter 0): installs chart formatting and progress for the
/// .NET Interactive kernel (and shows the plotly.js the charts draw with), then starts the session the way every host
/// does (<see cref="CourseSession.Start"/>: native fix, heap, run mode, threads, seed).
/// </summary>
public static class Course
{
    /// <summary>The seed every chapter starts from.</summary>
    public const int DefaultSeed = CourseSession.DefaultSeed;

    /// <summary>The current session; set by <see cref="Setup"/>.</summary>
    public static CourseSession Session => CourseSession.Current;

    /// <summary>Prepares the notebook session; safe to run again (re-seeds).</summary>
    /// <param name="seed">The global generator's seed (a model trained through the runner draws its initial weights from its key instead).</param>
    /// <param name="threads">libtorch's thread count; default: <see cref="AutoencoderNotebooks.Core.CourseThreads.FromEnvironment"/>.</param>
    public static CourseSession Setup(int seed = DefaultSeed, int? threads = null)
    {
        FSharpCoreRedirect.Install();
        NotebookFormatting.Install();
        NotebookProgress.Install();
        var session = CourseSession.Start(seed, threads);
        // Once per notebook: the plotly.js every later chart draws with, so saved notebooks draw offline.
        if (KernelInvocationContext.Current is { } context && ChartHtml.PlotlyLoader() is { } loader)
            context.Display(loader, HtmlFormatter.MimeType);
        return session;
    }

    /// <summary>Seeds torch's random number generator, so a cell re-run gives the same numbers.</summary>
    public static void Seed(int seed) => manual_seed(seed);
}
