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
