using static TorchSharp.torch;

namespace AutoencoderNotebooks.Models;

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
    /// <summary>The codings of every row of <paramref name="inputs"/>, computed in batches without gradients.</summary>
    public static Tensor EncodeAll(this IAutoencoder autoencoder, Tensor inputs, int batchSize = 2000)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < inputs.shape[0]; start += batchSize)
            parts.Add(autoencoder.Encode(inputs.narrow(0, start, Math.Min(batchSize, inputs.shape[0] - start))));
        return cat(parts, 0).MoveToOuterDisposeScope();
    }
}
