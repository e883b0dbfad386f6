using System.Diagnostics;
using AutoencoderNotebooks.Runtime;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Training;

/// <summary>
/// The course's one training loop (chapter 2; chapter 1 uses it first): shuffled mini-batches over a
/// dataset held as one tensor, one dispose scope per batch, a <see cref="TrainingStep"/> per batch (what
/// differs between models), validation in <c>eval()</c> through the same step, per-sample average losses,
/// throughput in every epoch line, optional cosine decay, and early stopping on a named metric that
/// restores the best weights.
/// </summary>
public static class Trainer
{
    /// <summary>Trains with the default step: one model, one optimiser, one loss.</summary>
    /// <param name="model">Switched to train mode for steps and eval mode for validation.</param>
    /// <param name="optimizer">Steps the model's parameters (not disposed here).</param>
    /// <param name="loss">Loss of one batch (per-sample mean), with named components.</param>
    /// <param name="inputs">Training inputs, first dimension = samples.</param>
    /// <param name="targets">Training targets; null means the inputs (an autoencoder).</param>
    /// <param name="options">Epochs, batch size, seed, early stopping.</param>
    /// <param name="validationInputs">Validation inputs, or null.</param>
    /// <param name="validationTargets">Validation targets; null means the validation inputs.</param>
    /// <param name="progress">Progress display; default: <see cref="TrainingProgress.Automatic"/>.</param>
    public static TrainingHistory Fit(nn.Module model, optim.Optimizer optimizer, LossFunction loss, Tensor inputs, Tensor? targets,
        TrainingOptions options, Tensor? validationInputs = null, Tensor? validationTargets = null, ITrainingProgress? progress = null)
    {
        using var step = new ModelStep(model, optimizer, loss);
        return Fit(step, inputs, targets, options, validationInputs, validationTargets, progress);
    }

    /// <summary>Trains whatever <paramref name="step"/> trains and returns the history.</summary>
    /// <param name="step">What one batch does in training and in evaluation.</param>
    /// <param name="inputs">Training inputs, first dimension = samples.</param>
    /// <param name="targets">Training targets; null means the inputs (an autoencoder).</param>
    /// <param name="options">Epochs, batch size, seed, early stopping.</param>
    /// <param name="validationInputs">Validation inputs, or null.</param>
    /// <param name="validationTargets">Validation targets; null means the validation inputs.</param>
    /// <param name="progress">Progress display; default: <see cref="TrainingProgress.Automatic"/>.</param>
    public static TrainingHistory Fit(TrainingStep step, Tensor inputs, Tensor? targets, TrainingOptions options,
        Tensor? validationInputs = null, Tensor? validationTargets = null, ITrainingProgress? progress = null)
    {
        if (options.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "Epochs must be at least 1.");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1.");
        if (targets is not null && targets.shape[0] != inputs.shape[0])
            throw new ArgumentException($"{inputs.shape[0]} inputs but {targets.shape[0]} targets.", nameof(targets));
        if (options.EarlyStoppingPatience is not null && validationInputs is null)
            throw new ArgumentException("Early stopping needs validation data.", nameof(validationInputs));

        progress ??= TrainingProgress.Automatic(options.Label);
        var history = new TrainingHistory(options.Label);
        if (options.StepsPerEpoch is < 1) throw new ArgumentOutOfRangeException(nameof(options), options.StepsPerEpoch, "StepsPerEpoch must be at least 1.");
        var available = inputs.shape[0];
        var fullPass = (int)((available + options.BatchSize - 1) / options.BatchSize);
        var batches = Math.Min(options.StepsPerEpoch ?? fullPass, fullPass);
        var count = Math.Min(available, (long)batches * options.BatchSize); // samples seen per epoch
        manual_seed(options.Seed);

        var schedules = options.CosineDecay
            ? step.Optimizers.Select(o => optim.lr_scheduler.CosineAnnealingLR(o, options.Epochs * batches)).ToList()
            : [];
        List<Dictionary<string, Tensor>>? best = null;
        NativeHeap.MarkResident();
        var bestValue = double.PositiveInfinity;
        var sinceBest = 0;
        try
        {
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                foreach (var module in step.Modules) module.train();
                var watch = Stopwatch.StartNew();
                var totals = new LossTotals();
                using (var order = options.Shuffle ? randperm(available) : arange(available))
                {
                    for (var b = 0; b < batches; b++)
                    {
                        using (NewDisposeScope())
                        {
                            var start = (long)b * options.BatchSize;
                            var size = Math.Min(options.BatchSize, count - start);
                            var index = order.narrow(0, start, size);
                            var x = inputs.index_select(0, index);
                            var y = targets is null ? x : targets.index_select(0, index);

                            var terms = step.Train(x, y);
                            foreach (var schedule in schedules) schedule.step();

                            var batchLoss = totals.Add(terms, size);
                            progress.Batch(epoch, options.Epochs, b + 1, batches, batchLoss, (start + size) / watch.Elapsed.TotalSeconds);
                        }
                        NativeHeap.ReleaseIfGrown(); // the batch's tensors are freed now; don't let the heap grow around their holes
                    }
                }

                var (trainLoss, metrics) = totals.PerSample(count);
                double? validation = null;
                if (validationInputs is not null)
                {
                    var (valLoss, valComponents) = Evaluate(step, validationInputs, validationTargets, options.EvaluationBatchSize);
                    validation = valLoss;
                    foreach (var (name, value) in valComponents) metrics["val " + name] = value;
                }
                watch.Stop();
                var result = new EpochResult(epoch, trainLoss, validation, metrics, watch.Elapsed.TotalSeconds, count / watch.Elapsed.TotalSeconds);
                history.Add(result);
                progress.Epoch(result, options.Epochs);

                if (options.EarlyStoppingPatience is not { } patience)
                {
                    history.BestEpoch = epoch;
                    continue;
                }
                var monitored = Monitored(result, options.Monitor);
                if (monitored < bestValue - options.MinDelta)
                {
                    bestValue = monitored;
                    history.BestEpoch = epoch;
                    sinceBest = 0;
                    DisposeAll(best);
                    best = Snapshot(step.Modules);
                }
                else if (++sinceBest >= patience)
                {
                    history.StoppedEarly = epoch < options.Epochs;
                    break;
                }
            }
            if (best is not null && history.BestEpoch != history.Epochs.Count)
                Restore(step.Modules, best);
        }
        finally
        {
            DisposeAll(best);
            NativeHeap.Trim(); // the run's per-batch memory, freed but still resident, goes back to the system
        }
        progress.Finished(history);
        return history;
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

    private static double Monitored(EpochResult result, string? monitor)
    {
        if (monitor is null) return result.ValidationLoss!.Value;
        if (result.Metrics.TryGetValue(monitor, out var value)) return value;
        throw new ArgumentException($"Early stopping monitors '{monitor}', which this run does not log; it logs: {string.Join(", ", result.Metrics.Keys)} (or null for the validation loss).");
    }

    // Copies made under no_grad without an intermediate detach(), so no tensor is left for the GC.
    private static List<Dictionary<string, Tensor>> Snapshot(IReadOnlyList<nn.Module> modules)
    {
        using var noGrad = no_grad();
        return modules.Select(m => m.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope())).ToList();
    }

    private static void Restore(IReadOnlyList<nn.Module> modules, List<Dictionary<string, Tensor>> weights)
    {
        using var noGrad = no_grad();
        for (var i = 0; i < modules.Count; i++)
            foreach (var (name, tensor) in modules[i].state_dict())
                tensor.copy_(weights[i][name]);
    }

    private static void DisposeAll(List<Dictionary<string, Tensor>>? snapshot)
    {
        if (snapshot is null) return;
        foreach (var t in snapshot.SelectMany(d => d.Values)) t.Dispose();
        snapshot.Clear();
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
