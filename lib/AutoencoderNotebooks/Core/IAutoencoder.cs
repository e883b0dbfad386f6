using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// An autoencoder split into its two halves (chapter 1): the encoder maps inputs to codings, the
/// decoder maps codings back to reconstructions.
/// </summary>
public interface IAutoencoder
{
    /// <summary>Codings of a batch of inputs.</summary>
    Tensor Encode(Tensor inputs);

    /// <summary>Reconstructions of a batch of codings.</summary>
    Tensor Decode(Tensor codings);

    /// <summary>
    /// Reconstructions of a batch of inputs before the output activation (the logits of a sigmoid output),
    /// so binary cross-entropy can be computed stably from them.
    /// </summary>
    Tensor Logits(Tensor inputs);
}

/// <summary>Encoding whole data sets (chapter 2).</summary>
public static class AutoencoderEncoding
{
    /// <summary>
    /// The codings of every row of <paramref name="inputs"/>, computed in batches in eval mode (noise and
    /// dropout off, the model's mode restored afterwards) without gradients.
    /// </summary>
    public static Tensor EncodeAll(this IAutoencoder autoencoder, Tensor inputs, int batchSize = 2000)
    {
        using var evaluation = new EvaluationMode(autoencoder as nn.Module is { } module ? [module] : []);
        return Inference.Batched(inputs, batchSize, autoencoder.Encode);
    }
}
