namespace AutoencoderNotebooks.Core;

/// <summary>
/// Something that happens around the loop's batches and epochs (chapter 2): progress, early stopping, a learning-rate
/// schedule, the heap guard, a GAN's per-epoch samples. <see cref="Trainer"/> calls every callback in order at each
/// point; a callback changes nothing the loop computes except through <see cref="TrainingContext.RequestStop"/>, the
/// optimisers and the modules. In the spirit of fastai's Learner callbacks and Lightning's Trainer hooks.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Before the first epoch, after the seed is set.</summary>
    void TrainingStarted(TrainingContext context) { }

    /// <summary>After each optimiser step, once the batch's tensors are disposed.</summary>
    void BatchEnded(TrainingContext context, BatchResult batch) { }

    /// <summary>After each epoch's validation, once its result is in <see cref="TrainingContext.History"/>.</summary>
    void EpochEnded(TrainingContext context, EpochResult epoch) { }

    /// <summary>When the loop ends, normally or not (then <paramref name="completed"/> is false).</summary>
    void TrainingEnded(TrainingContext context, bool completed) { }
}

/// <summary>One optimiser step as the loop saw it (chapter 2).</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">The batch's mean loss.</param>
/// <param name="SamplesPerSecond">Samples of this epoch so far per second.</param>
public sealed record BatchResult(int Epoch, int Batch, int Batches, double Loss, double SamplesPerSecond);

/// <summary>What the loop tells its callbacks about the run, and the one thing they may ask of it: to stop (chapter 2).</summary>
public sealed class TrainingContext
{
    internal TrainingContext(TrainingStep step, FitSettings settings, string label, int batchesPerEpoch, bool hasValidation)
    {
        Step = step;
        Settings = settings;
        Label = label;
        BatchesPerEpoch = batchesPerEpoch;
        HasValidation = hasValidation;
        History = new TrainingHistory(label);
    }

    /// <summary>The step being trained: its modules and optimisers.</summary>
    public TrainingStep Step { get; }

    /// <summary>The run's settings.</summary>
    public FitSettings Settings { get; }

    /// <summary>The run's label, shown in progress lines.</summary>
    public string Label { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>True when the loop validates after each epoch.</summary>
    public bool HasValidation { get; }

    /// <summary>The epochs so far.</summary>
    public TrainingHistory History { get; }

    /// <summary>True once a callback asked the loop to stop after the current epoch.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Ends the run after the current epoch (early stopping).</summary>
    public void RequestStop() => StopRequested = true;
}
