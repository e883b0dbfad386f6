using System.Diagnostics;
using System.Runtime.CompilerServices;
using AutoencoderNotebooks.Charts;
using AutoencoderNotebooks.Core;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace AutoencoderNotebooks.Notebook;

/// <summary>
/// Notebook progress (chapter 2): one output per cell, shared by every training the cell runs, updated in place with
/// the running epoch, batch, loss and samples/s, and ending as each run's summary with its epoch lines folded away.
/// Updates slow down as the cell runs (the next one is due when the cell's time has doubled, from 1 s; a finished run
/// waits for it too) and the cell's last state is shown when the cell completes, so a front end that saves every
/// update as a new output (dotnet-repl) saves at most 2 + log₂ of the cell's seconds of them, however many runs the
/// cell trains and for however long: 14 for a 40-minute cell, 16 for three hours.
/// </summary>
public sealed class NotebookProgress : ITrainingCallback
{
    /// <summary>The CSS class of every progress output; hosts (the course runner) recognise progress by it.</summary>
    public const string CssClass = ProgressMarkup.CssClass;

    /// <summary>The first live update is due this long after the cell's first training starts; each later one when that time has doubled.</summary>
    public static readonly TimeSpan FirstUpdate = TimeSpan.FromSeconds(1);

    private static readonly ConditionalWeakTable<KernelInvocationContext, CellPanel> Panels = new();

    private readonly string label;
    private readonly CellPanel? panel;
    private readonly List<string> lines = [];

    /// <summary>A run's progress in the current cell's panel (created with the cell's first run).</summary>
    public NotebookProgress(string label)
    {
        this.label = label;
        panel = KernelInvocationContext.Current is { } context ? Panels.GetValue(context, c => new CellPanel(c)) : null;
    }

    /// <summary>Makes notebook progress the display of every run started in a kernel cell.</summary>
    public static void Install() => TrainingProgress.Display = label =>
        KernelInvocationContext.Current is not null ? new NotebookProgress(label) : new ConsoleProgress(Console.Out, label);

    /// <inheritdoc />
    public void TrainingStarted(TrainingContext context) => panel?.Show(ProgressMarkup.Live($"{label}: starting…"));

    /// <inheritdoc />
    public void BatchEnded(TrainingContext context, BatchResult batch)
    {
        if (panel is null || !panel.Due) return;
        panel.Show(ProgressMarkup.Live(ProgressMarkup.LiveText(label, context, batch)));
    }

    /// <inheritdoc />
    public void EpochEnded(TrainingContext context, EpochResult epoch) => lines.Add(epoch.Format(context.Settings.Epochs, label));

    /// <inheritdoc />
    public void TrainingEnded(TrainingContext context, bool completed)
    {
        if (panel is null || !completed) return;
        panel.Finished.Add(ProgressMarkup.Finished(context.History.ToString(), lines));
        panel.Show("");
    }

    // The cell's one progress output: the summaries of its finished runs, then the running one's live line. What is
    // not yet due waits for the next due update or for the cell's end.
    private sealed class CellPanel
    {
        private readonly KernelInvocationContext context;
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private TimeSpan nextUpdate = FirstUpdate;
        private DisplayedValue? display;
        private HtmlOutput? pending;

        public CellPanel(KernelInvocationContext context)
        {
            this.context = context;
            // When the cell completes there is no current invocation, and DisplayedValue.Update would then write the markup
            // to standard output: publish the update on the cell's own context instead.
            context.OnComplete(completing =>
            {
                if (pending is not null && display is not null)
                    completing.Publish(new DisplayedValueUpdated(pending, display.DisplayId, completing.Command,
                        FormattedValue.CreateManyFromObject(pending, "text/html")));
                pending = null;
            });
        }

        public List<string> Finished { get; } = [];

        public bool Due => clock.Elapsed >= nextUpdate;

        public void Show(string live)
        {
            var html = new HtmlOutput(string.Concat(Finished) + live);
            if (display is null) display = context.Display(html, "text/html");
            else if (Due) display.Update(html);
            else
            {
                pending = html;
                return;
            }
            pending = null;
            while (nextUpdate <= clock.Elapsed) nextUpdate += nextUpdate;
        }
    }
}
