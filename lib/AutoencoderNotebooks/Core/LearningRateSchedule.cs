using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// Cosine decay of every optimiser's learning rate from its initial value to zero over all the run's steps
/// (Loshchilov &amp; Hutter, 2017, without restarts); <see cref="Trainer"/> adds it when
/// <see cref="FitSettings.CosineDecay"/> is set (chapters 3 and 5).
/// </summary>
public sealed class CosineSchedule : ITrainingCallback
{
    private readonly List<optim.lr_scheduler.LRScheduler> schedules = [];

    /// <inheritdoc />
    public void TrainingStarted(TrainingContext context)
    {
        var steps = context.Settings.Epochs * context.BatchesPerEpoch;
        schedules.AddRange(context.Step.Optimizers.Select(o => optim.lr_scheduler.CosineAnnealingLR(o, steps)));
    }

    /// <inheritdoc />
    public void BatchEnded(TrainingContext context, BatchResult batch)
    {
        foreach (var schedule in schedules) schedule.step();
    }
}
