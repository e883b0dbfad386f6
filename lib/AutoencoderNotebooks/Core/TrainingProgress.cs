namespace AutoencoderNotebooks.Core;

/// <summary>
/// Chooses the progress display of a run (chapter 2): console lines by default; a notebook host replaces
/// <see cref="Display"/> with its live output when it starts (the kernel's setup does), so the core library never
/// knows which host it runs in.
/// </summary>
public static class TrainingProgress
{
    /// <summary>Makes the progress callback of a run from its label; the host's setup sets it.</summary>
    public static Func<string, ITrainingCallback> Display { get; set; } = label => new ConsoleProgress(Console.Out, label);

    /// <summary>The host's progress display for a run labelled <paramref name="label"/>.</summary>
    public static ITrainingCallback Automatic(string label) => Display(label);

    /// <summary>No progress at all (tests, the benchmark).</summary>
    public static ITrainingCallback Silent { get; } = new SilentProgress();

    private sealed class SilentProgress : ITrainingCallback;
}

/// <summary>Headless progress: one line per epoch, then the summary. (chapter 2)</summary>
public sealed class ConsoleProgress(TextWriter writer, string label) : ITrainingCallback
{
    /// <inheritdoc />
    public void EpochEnded(TrainingContext context, EpochResult epoch) => writer.WriteLine(epoch.Format(context.Settings.Epochs, label));

    /// <inheritdoc />
    public void TrainingEnded(TrainingContext context, bool completed)
    {
        if (completed) writer.WriteLine(context.History.ToString());
    }
}
