using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Contractive;

/// <summary>
/// Per-pixel binary cross-entropy plus λ‖J‖²_F of the codings (chapter 7), both from one forward pass; logs
/// <c>reconstruction</c>, <c>contractive</c> (the weighted penalty) and <c>mse</c>. The closed form needs no
/// gradients to evaluate; the autograd form differentiates the codings, so its evaluation runs with autograd on.
/// </summary>
/// <param name="Lambda">Weight of the penalty.</param>
/// <param name="UseAutograd">Compute the penalty through autograd (double backward) instead of the closed form.</param>
public sealed record ContractiveObjective(double Lambda, bool UseAutograd = false) : Objective
{
    /// <inheritdoc />
    public override bool EvaluationNeedsGradients => UseAutograd;

    /// <inheritdoc />
    public override LossFunction For(nn.Module<Tensor, Tensor> model)
    {
        var contractive = model as ContractiveAutoencoder ?? throw new ArgumentException($"{model.GetType().Name} is not a ContractiveAutoencoder.", nameof(model));
        return (inputs, targets) =>
        {
            var x = UseAutograd ? inputs.detach().requires_grad_(true) : inputs;
            var codings = contractive.Encode(x);
            var penalty = UseAutograd
                ? ContractivePenalty.Autograd(codings, x, createGraph: contractive.training)
                : ContractivePenalty.SigmoidLayer(codings, contractive.CodingWeight);
            var logits = contractive.DecodeLogits(codings).reshape(targets.shape);
            var reconstruction = ReconstructionLoss.BinaryCrossEntropyWithLogits(logits, targets);
            var weighted = penalty * Lambda;
            var total = reconstruction + weighted;
            using var noGrad = no_grad();
            return new LossTerms(total, new Dictionary<string, Tensor>
            {
                ["reconstruction"] = reconstruction.detach(),
                ["contractive"] = weighted.detach(),
                ["mse"] = ReconstructionLoss.MeanSquaredError(logits.sigmoid(), targets),
            });
        };
    }
}
