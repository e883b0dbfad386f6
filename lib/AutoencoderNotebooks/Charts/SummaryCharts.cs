using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Core;
using CSharpChart = Plotly.NET.CSharp.Chart;
using Plotly.NET;

namespace AutoencoderNotebooks.Charts;

/// <summary>Bar charts of counts and loss curves of training runs (chapters 0 and 2).</summary>
public static class SummaryCharts
{
    /// <summary>How many images each class has (chapter 0).</summary>
    public static GenericChart ClassCounts(IReadOnlyList<string> classNames, IReadOnlyList<long> counts, string title = "Images per class") =>
        CSharpChart.Column<long, string, string>(counts, Keys: classNames.ToArray(), Name: "images")
            .Titled(title, "class", "images", 750, 420);

    /// <summary>
    /// Training and validation loss per epoch for one or more runs (chapter 2); a logarithmic y axis
    /// when <paramref name="logY"/> is true.
    /// </summary>
    public static GenericChart LossCurves(IEnumerable<(string Label, IReadOnlyList<EpochResult> Epochs)> runs, string title = "Loss per epoch", bool logY = false)
    {
        var traces = new List<GenericChart>();
        foreach (var (label, history) in runs)
        {
            var epochs = history.Select(e => e.Epoch).ToArray();
            traces.Add(CSharpChart.Line<int, double, string>(epochs, history.Select(e => e.TrainLoss), Name: $"{label} (train)", ShowMarkers: true));
            if (history.All(e => e.ValidationLoss is not null))
                traces.Add(CSharpChart.Line<int, double, string>(epochs, history.Select(e => e.ValidationLoss!.Value), Name: $"{label} (validation)", ShowMarkers: true, LineDash: StyleParam.DrawingStyle.Dash));
        }
        var chart = CSharpChart.Combine(traces).Titled(title, "epoch", "loss per sample", 750, 450);
        return logY ? chart.With(("yaxis", new Dictionary<string, object> { ["type"] = "log", ["title"] = new Dictionary<string, object> { ["text"] = "loss per sample (log)" } })) : chart;
    }

    /// <summary>Loss curves of training runs.</summary>
    public static GenericChart LossCurves(IEnumerable<TrainingHistory> histories, string title = "Loss per epoch", bool logY = false) =>
        LossCurves(histories.Select(h => (h.Label, h.Epochs)), title, logY);

    /// <summary>Loss curves of a single run.</summary>
    public static GenericChart LossCurves(TrainingHistory history, string? title = null, bool logY = false) =>
        LossCurves([history], title ?? $"{history.Label}: loss per epoch", logY);

    /// <summary>Loss curves of trained (or reused) autoencoders.</summary>
    public static GenericChart LossCurves(IEnumerable<IAutoencoderRun> runs, string title = "Loss per epoch", bool logY = false) =>
        LossCurves(runs.Select(r => (r.Name, r.History)), title, logY);

    /// <summary>Named curves y(x) on one chart, with markers (chapter 4: error against noise; chapter 5: penalties).</summary>
    public static GenericChart Curves(IEnumerable<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> curves, string title, string xTitle, string yTitle) =>
        CSharpChart.Combine(curves.Select(c => CSharpChart.Line<double, double, string>(c.X, c.Y, Name: c.Name, ShowMarkers: true)))
            .Titled(title, xTitle, yTitle, 750, 450);

    /// <summary>Overlaid histograms of several sets of values (chapter 5: mean activation per coding unit).</summary>
    public static GenericChart Histograms(IEnumerable<(string Name, IReadOnlyList<double> Values)> sets, string title, string xTitle, int bins = 40) =>
        CSharpChart.Combine(sets.Select(s => CSharpChart.Histogram<double, double, string>(X: new Plotly.NET.CSharp.Optional<IEnumerable<double>>(s.Values, true), Name: s.Name, Opacity: 0.6, NBinsX: bins)))
            .Titled(title, xTitle, "count", 750, 420)
            .With(("barmode", "overlay"));
}
