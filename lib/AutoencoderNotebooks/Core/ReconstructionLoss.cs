using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// Reconstruction losses (chapter 1), averaged over every element so they equal the per-pixel numbers
/// Keras reports in the book.
/// </summary>
public static class ReconstructionLoss
{
    /// <summary>
    /// Mean squared error, <c>mean((x̂ − x)²)</c>: Géron, <i>Hands-On ML</i> 3rd ed., ch. 17, "Performing
    /// PCA with an Undercomplete Linear Autoencoder".
    /// </summary>
    public static Tensor MeanSquaredError(Tensor reconstruction, Tensor target) =>
        nn.functional.mse_loss(reconstruction, target);

    /// <summary>
    /// Binary cross-entropy for targets in [0, 1], <c>−mean(x log x̂ + (1 − x) log(1 − x̂))</c>, computed from
    /// logits for numerical stability: Géron 2nd ed., ch. 17, "Stacked Autoencoders" (loss="binary_crossentropy").
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target) =>
        nn.functional.binary_cross_entropy_with_logits(logits, target);

    /// <summary>Binary cross-entropy of probabilities (outputs of a sigmoid), clamped away from 0 and 1.</summary>
    public static Tensor BinaryCrossEntropy(Tensor probabilities, Tensor target) =>
        nn.functional.binary_cross_entropy(probabilities.clamp(1e-7, 1 - 1e-7), target);
}
