using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// A batch's loss to minimise (<see cref="Total"/>, averaged per sample as the book's Keras numbers are)
/// and its named components, logged separately (e.g. reconstruction and KL terms) (chapter 2).
/// </summary>
public sealed record LossTerms(Tensor Total, IReadOnlyDictionary<string, Tensor> Components)
{
    /// <summary>A loss with no separate components.</summary>
    public static LossTerms Of(Tensor total) => new(total, new Dictionary<string, Tensor>());
}

/// <summary>Computes the loss of a model on one batch of inputs and targets. (chapter 2)</summary>
public delegate LossTerms LossFunction(Tensor inputs, Tensor targets);
