using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Training;

/// <summary>
/// The course's one training loop (chapter 2; chapter 1 uses it first): shuffled mini-batches over a
/// dataset held as one tensor, one dispose scope per batch, validation under <c>no_grad</c> and
/// <c>eval()</c>, per-sample average losses, throughput in every epoch line, optional early stopping that
/// restores the best weights.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> and returns its history.</summary>
    /// <param name="model">Switched to train mode for steps and eval mode for validation.</param>
    /// <param name="optimizer">Steps the model's parameters.</param>
    /// <param name="loss">Loss of one batch (per-sample mean), with named components.</param>
    /// <param name="inputs">Training inputs, first dimension = samples.</param>
    /// <param name="targets">Training targets; null means the inputs (an autoencoder).</param>
    /// <param name="options">Epochs, batch size, seed, early stopping.</param>
    /// <param name="validationInputs">Validation inputs, or null.</param>
    /// <param name="validationTargets">Validation targets; null means the validation inputs.</param>
    /// <param name="progress">Progress display; default: <see cref="TrainingProgress.Automatic"/>.</param>
    public static TrainingHistory Fit(
        nn.Module model,
        optim.Optimizer optimizer,
        LossFunction loss,
        Tensor inputs,
        Tensor? targets,
        TrainingOptions options,
        Tensor? validationInputs = null,
        Tensor? validationTargets = null,
        ITrainingProgress? progress = null)
    {
        if (options.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "Epochs must be at least 1.");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1.");
        if (targets is not null && targets.shape[0] != inputs.shape[0])
            throw new ArgumentException($"{inputs.shape[0]} inputs but {targets.shape[0]} targets.", nameof(targets));
        if (options.EarlyStoppingPatience is not null && validationInputs is null)
            throw new ArgumentException("Early stopping needs validation data.", nameof(validationInputs));

        progress ??= TrainingProgress.Automatic(options.Label);
        var history = new TrainingHistory(options.Label);
        var count = inputs.shape[0];
        var batches = (int)((count + options.BatchSize - 1) / options.BatchSize);
        manual_seed(options.Seed);

        var schedule = options.CosineDecay ? optim.lr_scheduler.CosineAnnealingLR(optimizer, options.Epochs * batches) : null;
        Dictionary<string, Tensor>? best = null;
        var bestLoss = double.PositiveInfinity;
        var sinceBest = 0;
        try
        {
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                model.train();
                var watch = Stopwatch.StartNew();
                var totals = new LossTotals();
                using (var order = options.Shuffle ? randperm(count) : arange(count))
                {
                    for (var b = 0; b < batches; b++)
                    {
                        using var scope = NewDisposeScope();
                        var start = (long)b * options.BatchSize;
                        var size = Math.Min(options.BatchSize, count - start);
                        var index = order.narrow(0, start, size);
                        var x = inputs.index_select(0, index);
                        var y = targets is null ? x : targets.index_select(0, index);

                        optimizer.zero_grad();
                        var terms = loss(x, y);
                        terms.Total.backward();
                        optimizer.step();
                        schedule?.step();

                        var batchLoss = totals.Add(terms, size);
                        progress.Batch(epoch, options.Epochs, b + 1, batches, batchLoss, (start + size) / watch.Elapsed.TotalSeconds);
                    }
                }

                var (trainLoss, metrics) = totals.PerSample(count);
                double? validation = null;
                if (validationInputs is not null)
                {
                    var (valLoss, valComponents) = Evaluate(model, loss, validationInputs, validationTargets, options.EvaluationBatchSize);
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
                if (validation!.Value < bestLoss - options.MinDelta)
                {
                    bestLoss = validation.Value;
                    history.BestEpoch = epoch;
                    sinceBest = 0;
                    DisposeAll(best);
                    best = Snapshot(model);
                }
                else if (++sinceBest >= patience)
                {
                    history.StoppedEarly = epoch < options.Epochs;
                    break;
                }
            }
            if (best is not null && history.BestEpoch != history.Epochs.Count)
                Restore(model, best);
        }
        finally
        {
            DisposeAll(best);
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
        using var evaluation = new EvaluationMode(model);
        var count = inputs.shape[0];
        var totals = new LossTotals();
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var size = Math.Min(batchSize, count - start);
            var x = inputs.narrow(0, start, size);
            var y = targets is null ? x : targets.narrow(0, start, size);
            totals.Add(loss(x, y), size);
        }
        return totals.PerSample(count);
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());

    private static void Restore(nn.Module model, Dictionary<string, Tensor> weights)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in model.state_dict())
            tensor.copy_(weights[name]);
    }

    private static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        if (tensors is null) return;
        foreach (var t in tensors.Values) t.Dispose();
        tensors.Clear();
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
