using AutoencoderNotebooks.Platform;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// Evaluation without side effects (chapter 2): switches models to <c>eval()</c> (dropout and noise layers
/// off) and, unless told otherwise, turns gradients off until disposed; then restores each model's mode.
/// </summary>
public sealed class EvaluationMode : IDisposable
{
    private readonly (nn.Module Model, bool WasTraining)[] models;
    private readonly IDisposable? noGrad;

    /// <summary>Enters evaluation mode for <paramref name="model"/>, without gradients.</summary>
    public EvaluationMode(nn.Module model) : this([model]) { }

    /// <summary>Enters evaluation mode for every model; <paramref name="withoutGradients"/> also disables autograd.</summary>
    public EvaluationMode(IEnumerable<nn.Module> models, bool withoutGradients = true)
    {
        this.models = models.Select(m => (m, m.training)).ToArray();
        foreach (var (model, _) in this.models) model.eval();
        noGrad = withoutGradients ? no_grad() : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        noGrad?.Dispose();
        foreach (var (model, wasTraining) in models) model.train(wasTraining);
    }
}

/// <summary>Running a trained model on data (chapter 2): always in evaluation mode, without gradients.</summary>
public static class Inference
{
    /// <summary>
    /// <paramref name="model"/>'s outputs for <paramref name="inputs"/>, computed in eval mode without gradients
    /// (the model's mode is restored afterwards), in batches of <paramref name="batchSize"/>.
    /// </summary>
    public static Tensor Predict(this nn.Module<Tensor, Tensor> model, Tensor inputs, int batchSize = 2000)
    {
        using var evaluation = new EvaluationMode(model);
        return Batched(inputs, batchSize, model.forward);
    }

    /// <summary>Applies <paramref name="map"/> to <paramref name="inputs"/> in batches and concatenates the results.</summary>
    internal static Tensor Batched(Tensor inputs, int batchSize, Func<Tensor, Tensor> map)
    {
        // A scope per batch frees the model's intermediates as soon as the batch is done (instead of leaving them
        // to the GC, or keeping every batch's until the end): the peak is one batch's activations.
        using var scope = NewDisposeScope();
        if (inputs.shape[0] <= batchSize) return map(inputs).MoveToOuterDisposeScope();
        var parts = new List<Tensor>();
        NativeHeap.MarkResident();
        for (long start = 0; start < inputs.shape[0]; start += batchSize)
        {
            using (NewDisposeScope())
                parts.Add(map(inputs.narrow(0, start, Math.Min(batchSize, inputs.shape[0] - start))).MoveToOuterDisposeScope());
            NativeHeap.ReleaseIfGrown();
        }
        return cat(parts, 0).MoveToOuterDisposeScope();
    }
}
