using System.Diagnostics;
using AutoencoderNotebooks.Platform;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// The course's one training loop (chapter 2; chapter 1 uses it first): shuffled mini-batches over a dataset held as
/// one tensor, one dispose scope per batch, a <see cref="TrainingStep"/> per batch (what differs between models),
/// validation in <c>eval()</c> through the same step, per-sample average losses. What happens around batches and
/// epochs plugs in as <see cref="ITrainingCallback"/>s: the <see cref="HeapGuard"/> always, a
/// <see cref="CosineSchedule"/> when the settings ask for it, the caller's (e.g. <see cref="EarlyStopping"/>), and
/// progress last (by default <see cref="TrainingProgress.Automatic"/>).
/// </summary>
public static class Trainer
{
    /// <summary>Trains with the default step: one model, one optimiser, one loss.</summary>
    /// <param name="model">Switched to train mode for steps and eval mode for validation.</param>
    /// <param name="optimizer">Steps the model's parameters (not disposed here).</param>
    /// <param name="loss">Loss of one batch (per-sample mean), with named components.</param>
    /// <param name="inputs">Training inputs, first dimension = samples.</param>
    /// <param name="targets">Training targets; null means the inputs (an autoencoder).</param>
    /// <param name="settings">Epochs, batch size, seed, schedule (the optimiser here is the caller's).</param>
    /// <param name="label">Shown in progress lines and the summary.</param>
    /// <param name="validationInputs">Validation inputs, or null.</param>
    /// <param name="validationTargets">Validation targets; null means the validation inputs.</param>
    /// <param name="callbacks">The caller's callbacks, called in order after the loop's own.</param>
    /// <param name="progress">Progress display; default: <see cref="TrainingProgress.Automatic"/>.</param>
    public static TrainingHistory Fit(nn.Module model, optim.Optimizer optimizer, LossFunction loss, Tensor inputs, Tensor? targets,
        FitSettings settings, string label, Tensor? validationInputs = null, Tensor? validationTargets = null,
        IEnumerable<ITrainingCallback>? callbacks = null, ITrainingCallback? progress = null)
    {
        using var step = new ModelStep(model, optimizer, loss);
        return Fit(step, inputs, targets, settings, label, validationInputs, validationTargets, callbacks, progress);
    }

    /// <summary>Trains whatever <paramref name="step"/> trains and returns the history.</summary>
    /// <param name="step">What one batch does in training and in evaluation.</param>
    /// <param name="inputs">Training inputs, first dimension = samples.</param>
    /// <param name="targets">Training targets; null means the inputs (an autoencoder).</param>
    /// <param name="settings">Epochs, batch size, seed, schedule.</param>
    /// <param name="label">Shown in progress lines and the summary.</param>
    /// <param name="validationInputs">Validation inputs, or null.</param>
    /// <param name="validationTargets">Validation targets; null means the validation inputs.</param>
    /// <param name="callbacks">The caller's callbacks, called in order after the loop's own.</param>
    /// <param name="progress">Progress display; default: <see cref="TrainingProgress.Automatic"/>.</param>
    public static TrainingHistory Fit(TrainingStep step, Tensor inputs, Tensor? targets, FitSettings settings, string label,
        Tensor? validationInputs = null, Tensor? validationTargets = null, IEnumerable<ITrainingCallback>? callbacks = null,
        ITrainingCallback? progress = null)
    {
        settings.Validate();
        if (targets is not null && targets.shape[0] != inputs.shape[0])
            throw new ArgumentException($"{inputs.shape[0]} inputs but {targets.shape[0]} targets.", nameof(targets));

        var available = inputs.shape[0];
        var fullPass = (int)((available + settings.BatchSize - 1) / settings.BatchSize);
        var batches = Math.Min(settings.StepsPerEpoch ?? fullPass, fullPass);
        var count = Math.Min(available, (long)batches * settings.BatchSize); // samples seen per epoch
        var context = new TrainingContext(step, settings, label, batches, validationInputs is not null);
        List<ITrainingCallback> all = [new HeapGuard()];
        if (settings.CosineDecay) all.Add(new CosineSchedule());
        all.AddRange(callbacks ?? []);
        all.Add(progress ?? TrainingProgress.Automatic(label));

        manual_seed(settings.Seed);
        var completed = false;
        try
        {
            foreach (var callback in all) callback.TrainingStarted(context);
            for (var epoch = 1; epoch <= settings.Epochs && !context.StopRequested; epoch++)
            {
                foreach (var module in step.Modules) module.train();
                var watch = Stopwatch.StartNew();
                var totals = new LossTotals();
                using (var order = settings.Shuffle ?? true ? randperm(available) : arange(available))
                {
                    for (var b = 0; b < batches; b++)
                    {
                        double batchLoss;
                        long seen;
                        using (NewDisposeScope())
                        {
                            var start = (long)b * settings.BatchSize;
                            var size = Math.Min(settings.BatchSize, count - start);
                            var index = order.narrow(0, start, size);
                            var x = inputs.index_select(0, index);
                            var y = targets is null ? x : targets.index_select(0, index);
                            batchLoss = totals.Add(step.Train(x, y), size);
                            seen = start + size;
                        }
                        var batch = new BatchResult(epoch, b + 1, batches, batchLoss, seen / watch.Elapsed.TotalSeconds);
                        foreach (var callback in all) callback.BatchEnded(context, batch);
                    }
                }

                var (trainLoss, metrics) = totals.PerSample(count);
                double? validation = null;
                if (validationInputs is not null)
                {
                    var (valLoss, valComponents) = Evaluate(step, validationInputs, validationTargets,
                        settings.EvaluationBatchSize ?? FitSettings.DefaultEvaluationBatchSize);
                    validation = valLoss;
                    foreach (var (name, value) in valComponents) metrics["val " + name] = value;
                }
                watch.Stop();
                var result = new EpochResult(epoch, trainLoss, validation, metrics, watch.Elapsed.TotalSeconds, count / watch.Elapsed.TotalSeconds);
                context.History.Add(result);
                context.History.BestEpoch = epoch;
                foreach (var callback in all) callback.EpochEnded(context, result);
            }
            context.History.StoppedEarly = context.History.Epochs.Count < settings.Epochs;
            completed = true;
        }
        finally
        {
            foreach (var callback in all) callback.TrainingEnded(context, completed);
        }
        return context.History;
    }

    /// <summary>
    /// Per-sample average loss and components of <paramref name="model"/> on a dataset, in eval mode with no gradients.
    /// </summary>
    public static (double Loss, Dictionary<string, double> Components) Evaluate(
        nn.Module model, LossFunction loss, Tensor inputs, Tensor? targets = null, int batchSize = 2048)
    {
        using var step = ModelStep.EvaluationOnly(model, loss);
        return Evaluate(step, inputs, targets, batchSize);
    }

    /// <summary>
    /// Per-sample average loss and components of a step's evaluation on a dataset: its modules in eval mode,
    /// gradients as the step decides (see <see cref="TrainingStep.Evaluate"/>).
    /// </summary>
    public static (double Loss, Dictionary<string, double> Components) Evaluate(
        TrainingStep step, Tensor inputs, Tensor? targets = null, int batchSize = 2048)
    {
        using var evaluation = new EvaluationMode(step.Modules, withoutGradients: false);
        var count = inputs.shape[0];
        var totals = new LossTotals();
        for (long start = 0; start < count; start += batchSize)
        {
            using (NewDisposeScope())
            {
                var size = Math.Min(batchSize, count - start);
                var x = inputs.narrow(0, start, size);
                var y = targets is null ? x : targets.narrow(0, start, size);
                totals.Add(step.Evaluate(x, y), size);
            }
            NativeHeap.ReleaseIfGrown();
        }
        return totals.PerSample(count);
    }
}

/// <summary>Sums batch losses and components weighted by batch size, for per-sample averages (chapter 2).</summary>
internal sealed class LossTotals
{
    private readonly Dictionary<string, double> components = [];
    private double total;

    /// <summary>Adds one batch of <paramref name="size"/> samples; returns its mean loss.</summary>
    public double Add(LossTerms terms, long size)
    {
        var batchLoss = terms.Total.item<float>();
        total += batchLoss * size;
        foreach (var (name, value) in terms.Components)
            components[name] = components.GetValueOrDefault(name) + value.item<float>() * size;
        return batchLoss;
    }

    /// <summary>The per-sample averages over <paramref name="count"/> samples.</summary>
    public (double Loss, Dictionary<string, double> Components) PerSample(long count) =>
        (total / count, components.ToDictionary(kv => kv.Key, kv => kv.Value / count));
}
