using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Charts;
using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.App;

/// <summary>
/// The setup call of a chapter's app, in place of the notebook's <c>Course.Setup()</c> (chapter 0): starts the session
/// the way every host does (<see cref="CourseSession.Start"/>) and puts the plotly.js the charts draw with into the
/// page's first code cell, as the notebook's setup cell shows it. Progress goes to the console and, summarised, to the page (<see cref="AppProgress"/>).
/// </summary>
public static class Course
{
    /// <summary>The seed every chapter starts from.</summary>
    public const int DefaultSeed = CourseSession.DefaultSeed;

    /// <summary>The current session; set by <see cref="Setup"/>.</summary>
    public static CourseSession Session => CourseSession.Current;

    /// <summary>Prepares the session; safe to run again (re-seeds).</summary>
    /// <param name="seed">The global generator's seed.</param>
    /// <param name="threads">libtorch's thread count; default: <see cref="AutoencoderNotebooks.Core.CourseThreads.FromEnvironment"/>.</param>
    public static CourseSession Setup(int seed = DefaultSeed, int? threads = null)
    {
        var session = CourseSession.Start(seed, threads);
        TrainingProgress.Display = label => new AppProgress(ChapterPage.Terminal, label);
        if (ChartHtml.PlotlyLoader() is { } loader) ChapterPage.Show(loader, echo: false);
        return session;
    }

    /// <summary>Seeds torch's random number generator, so a rerun gives the same numbers.</summary>
    public static void Seed(int seed) => manual_seed(seed);
}
