using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>Ready-made <see cref="LossFunction"/>s for training autoencoders (chapter 2).</summary>
public static class AutoencoderLosses
{
    /// <summary>
    /// Per-pixel binary cross-entropy from the model's logits (the book's 2nd-edition loss), with the
    /// per-pixel MSE logged beside it as the component <c>mse</c>.
    /// </summary>
    public static LossFunction BinaryCrossEntropy(IAutoencoder model) => (inputs, targets) =>
    {
        var logits = model.Logits(inputs);
        var loss = ReconstructionLoss.BinaryCrossEntropyWithLogits(logits, targets);
        using var noGrad = no_grad();
        return new LossTerms(loss, new Dictionary<string, Tensor> { ["mse"] = ReconstructionLoss.MeanSquaredError(logits.sigmoid(), targets) });
    };

    /// <summary>Per-pixel mean squared error of the model's output (the book's 3rd-edition loss).</summary>
    public static LossFunction MeanSquaredError(nn.Module<Tensor, Tensor> model) =>
        (inputs, targets) => LossTerms.Of(ReconstructionLoss.MeanSquaredError(model.forward(inputs), targets));
}
