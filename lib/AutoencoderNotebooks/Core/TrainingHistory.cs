using System.Globalization;

namespace AutoencoderNotebooks.Core;

/// <summary>One epoch's results: losses are per-sample averages; metrics are extra logged components. (chapter 2)</summary>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    double? ValidationLoss,
    IReadOnlyDictionary<string, double> Metrics,
    double Seconds,
    double SamplesPerSecond)
{
    /// <summary>The headless progress line: epoch, losses, components, time and throughput.</summary>
    public string Format(int epochs, string label)
    {
        var text = $"{label} epoch {Epoch,3}/{epochs}: loss {TrainLoss.ToString("F4", CultureInfo.InvariantCulture)}";
        if (ValidationLoss is { } v) text += $", val {v.ToString("F4", CultureInfo.InvariantCulture)}";
        foreach (var (name, value) in Metrics) text += $", {name} {value.ToString("F4", CultureInfo.InvariantCulture)}";
        return text + $" | {Seconds.ToString("F1", CultureInfo.InvariantCulture)} s, {SamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture)} samples/s";
    }
}

/// <summary>Everything a training run logged, epoch by epoch (chapter 2).</summary>
public sealed class TrainingHistory(string label)
{
    private readonly List<EpochResult> epochs = [];

    /// <summary>The run's label.</summary>
    public string Label { get; } = label;

    /// <summary>Epoch results in order.</summary>
    public IReadOnlyList<EpochResult> Epochs => epochs;

    /// <summary>The epoch whose weights the model holds at the end (best validation epoch under early stopping).</summary>
    public int BestEpoch { get; internal set; }

    /// <summary>True when early stopping ended the run before the last epoch.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>Total wall-clock training time in seconds.</summary>
    public double Seconds => epochs.Sum(e => e.Seconds);

    /// <summary>The last epoch's result.</summary>
    public EpochResult Last => epochs[^1];

    internal void Add(EpochResult result) => epochs.Add(result);

    /// <summary>A one-line summary.</summary>
    public override string ToString()
    {
        if (epochs.Count == 0) return $"{Label}: no epochs";
        var best = epochs[Math.Max(0, BestEpoch - 1)];
        var val = best.ValidationLoss is { } v ? $", val loss {v.ToString("F4", CultureInfo.InvariantCulture)}" : "";
        var stop = StoppedEarly ? $" (stopped early; weights from epoch {BestEpoch})" : "";
        return $"{Label}: {epochs.Count} epochs in {Seconds.ToString("F1", CultureInfo.InvariantCulture)} s, " +
               $"loss {best.TrainLoss.ToString("F4", CultureInfo.InvariantCulture)}{val}, " +
               $"{epochs.Average(e => e.SamplesPerSecond).ToString("N0", CultureInfo.InvariantCulture)} samples/s{stop}";
    }
}
