using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Sparse;

/// <summary>Which sparsity penalty a <see cref="SparseObjective"/> adds (chapter 5).</summary>
public enum SparsityPenalty
{
    /// <summary><see cref="SparsityPenalties.L1"/>.</summary>
    L1,

    /// <summary><see cref="SparsityPenalties.KullbackLeibler"/>.</summary>
    KullbackLeibler,
}

/// <summary>
/// Per-pixel binary cross-entropy plus a weighted sparsity penalty on the codings, both from one forward pass
/// (chapter 5). Logs <c>reconstruction</c>, <c>sparsity</c> (the weighted penalty), <c>mse</c> and
/// <c>mean activation</c> separately.
/// </summary>
/// <param name="Penalty">L1 or KL.</param>
/// <param name="Weight">The penalty's weight (the book: 1e-4 for L1 in the 3rd edition, 1e-3 in the 2nd; 0.05 / 32 for KL).</param>
/// <param name="Target">The target mean activation p of the KL penalty.</param>
public sealed record SparseObjective(SparsityPenalty Penalty, double Weight, double Target = 0.1) : Objective
{
    /// <summary>The book's L1 penalty, 3rd edition: weight 1e-4 (the 2nd edition used 1e-3).</summary>
    public static SparseObjective BookL1 { get; } = new(SparsityPenalty.L1, 1e-4);

    /// <summary>
    /// The book's KL penalty: target 0.1 and weight 0.05 — which Keras divides by the batch size (32 in the book),
    /// as it does every activity penalty, so the weight on the batch-mean penalty here is 0.05 / 32.
    /// </summary>
    public static SparseObjective BookKullbackLeibler { get; } = new(SparsityPenalty.KullbackLeibler, 0.05 / 32, 0.1);

    /// <inheritdoc />
    public override LossFunction For(nn.Module<Tensor, Tensor> model)
    {
        var sparse = model as SparseAutoencoder ?? throw new ArgumentException($"A sparsity penalty needs sigmoid codings; {model.GetType().Name} is not a SparseAutoencoder.", nameof(model));
        return (inputs, targets) =>
        {
            var codings = sparse.Encode(inputs);
            var logits = sparse.DecodeLogits(codings).reshape(targets.shape);
            var reconstruction = ReconstructionLoss.BinaryCrossEntropyWithLogits(logits, targets);
            var penalty = Penalty == SparsityPenalty.L1 ? SparsityPenalties.L1(codings) : SparsityPenalties.KullbackLeibler(codings, Target);
            var weighted = penalty * Weight;
            var total = reconstruction + weighted;
            using var noGrad = no_grad();
            return new LossTerms(total, new Dictionary<string, Tensor>
            {
                ["reconstruction"] = reconstruction.detach(),
                ["sparsity"] = weighted.detach(),
                ["mse"] = ReconstructionLoss.MeanSquaredError(logits.sigmoid(), targets),
                ["mean activation"] = codings.mean(),
            });
        };
    }
}
