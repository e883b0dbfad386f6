using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// What a run minimises, as a value (chapter 2): it makes the <see cref="LossFunction"/> for a model, and
/// being a record it takes part in a saved model's key, so a model trained with another loss is never reused.
/// Later chapters add objectives with more terms (sparsity, latent loss, contractive penalty).
/// </summary>
public abstract record Objective
{
    /// <summary>Per-pixel binary cross-entropy from the model's logits (the book's 2nd-edition loss).</summary>
    public static Objective BinaryCrossEntropy { get; } = new BinaryCrossEntropyObjective();

    /// <summary>Per-pixel mean squared error of the model's output (the book's 3rd-edition loss).</summary>
    public static Objective MeanSquaredError { get; } = new MeanSquaredErrorObjective();

    /// <summary>The loss of <paramref name="model"/> on a batch.</summary>
    public abstract LossFunction For(nn.Module<Tensor, Tensor> model);

    /// <summary>True when evaluating the loss differentiates (e.g. a Jacobian penalty).</summary>
    public virtual bool EvaluationNeedsGradients => false;

    /// <summary>The autoencoder view of <paramref name="model"/>, or a clear error.</summary>
    protected static IAutoencoder Autoencoder(nn.Module<Tensor, Tensor> model) => model as IAutoencoder ??
        throw new ArgumentException($"{model.GetType().Name} is not an autoencoder (IAutoencoder); this objective needs its logits or codings.", nameof(model));
}

/// <summary>Binary cross-entropy from logits, with the MSE logged beside it (chapter 2).</summary>
public sealed record BinaryCrossEntropyObjective : Objective
{
    /// <inheritdoc />
    public override LossFunction For(nn.Module<Tensor, Tensor> model) => AutoencoderLosses.BinaryCrossEntropy(Autoencoder(model));
}

/// <summary>Mean squared error of the model's output (chapter 1).</summary>
public sealed record MeanSquaredErrorObjective : Objective
{
    /// <inheritdoc />
    public override LossFunction For(nn.Module<Tensor, Tensor> model) => AutoencoderLosses.MeanSquaredError(model);
}
