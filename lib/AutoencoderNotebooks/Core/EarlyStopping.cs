using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// Early stopping (chapter 2; Prechelt, 1998): stops after <paramref name="Patience"/> epochs without a better monitored
/// value (lower is better) and gives the modules back the weights of the best epoch.
/// </summary>
/// <param name="Patience">Epochs without improvement before stopping.</param>
/// <param name="Monitor">What is watched: null for the validation loss, or a logged metric such as <c>"val mse"</c>.</param>
/// <param name="MinDelta">Smallest improvement that counts.</param>
public sealed class EarlyStopping(int Patience, string? Monitor = null, double MinDelta = 0) : ITrainingCallback
{
    private List<Dictionary<string, Tensor>>? best;
    private double bestValue = double.PositiveInfinity;
    private int bestEpoch;
    private int sinceBest;

    /// <inheritdoc />
    public void TrainingStarted(TrainingContext context)
    {
        if (Patience < 1) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Patience must be at least 1.");
        if (!context.HasValidation) throw new ArgumentException("Early stopping needs validation data.", "validationInputs");
    }

    /// <inheritdoc />
    public void EpochEnded(TrainingContext context, EpochResult epoch)
    {
        var monitored = Monitored(epoch);
        if (monitored < bestValue - MinDelta)
        {
            bestValue = monitored;
            bestEpoch = epoch.Epoch;
            sinceBest = 0;
            DisposeBest();
            best = Snapshot(context.Step.Modules);
        }
        else if (++sinceBest >= Patience)
        {
            context.RequestStop();
        }
        context.History.BestEpoch = bestEpoch;
    }

    /// <inheritdoc />
    public void TrainingEnded(TrainingContext context, bool completed)
    {
        if (completed && best is not null && bestEpoch != context.History.Epochs.Count) Restore(context.Step.Modules, best);
        DisposeBest();
    }

    private double Monitored(EpochResult result)
    {
        if (Monitor is null) return result.ValidationLoss!.Value;
        if (result.Metrics.TryGetValue(Monitor, out var value)) return value;
        throw new ArgumentException($"Early stopping monitors '{Monitor}', which this run does not log; it logs: {string.Join(", ", result.Metrics.Keys)} (or null for the validation loss).");
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

    private void DisposeBest()
    {
        if (best is null) return;
        foreach (var t in best.SelectMany(d => d.Values)) t.Dispose();
        best = null;
    }
}
