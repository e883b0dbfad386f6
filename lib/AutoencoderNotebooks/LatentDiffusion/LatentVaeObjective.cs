using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Variational;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.LatentDiffusion;

/// <summary>
/// The first stage's loss (chapter 10): per-pixel binary cross-entropy plus a lightly weighted KL term,
/// BCE + β·KL(q(z | x) ‖ N(0, I))/784, in chapter 6's units. Rombach et al. (2022, sect. 3.1 and appendix G) weigh
/// the KL term so lightly (10⁻⁶ against a summed reconstruction loss) that it only keeps the latent's scale in check:
/// the reconstructions stay sharp and the diffusion model, not the prior, makes the latents plausible. Logs
/// <c>reconstruction</c>, <c>latent</c> (β·KL/784), <c>kl per value</c> (nats per latent value, unweighted) and
/// <c>mse</c>.
/// </summary>
/// <param name="KlWeight">β: the weight of the KL term (chapter 6's VAE has 1).</param>
public sealed record LatentVaeObjective(double KlWeight) : Objective
{
    /// <summary>The course's weight, β = 0.01.</summary>
    public static LatentVaeObjective Course { get; } = new(0.01);

    /// <inheritdoc />
    public override LossFunction For(nn.Module<Tensor, Tensor> model)
    {
        var autoencoder = model as LatentAutoencoder ?? throw new ArgumentException($"{model.GetType().Name} is not a LatentAutoencoder.", nameof(model));
        return (inputs, targets) =>
        {
            var (mean, logVariance) = autoencoder.EncodeDistribution(inputs);
            var codings = autoencoder.training ? VariationalAutoencoder.Reparameterize(mean, logVariance) : mean;
            var logits = autoencoder.DecodeLogits(codings).reshape(targets.shape);
            var reconstruction = ReconstructionLoss.BinaryCrossEntropyWithLogits(logits, targets);
            var kl = VariationalLosses.LatentLoss(mean.flatten(1), logVariance.flatten(1));
            var latent = kl.mean() * (KlWeight / VariationalObjective.Pixels);
            var total = reconstruction + latent;
            using var noGrad = no_grad();
            return new LossTerms(total, new Dictionary<string, Tensor>
            {
                ["reconstruction"] = reconstruction.detach(),
                ["latent"] = latent.detach(),
                ["kl per value"] = kl.mean() / mean[0].numel(),
                ["mse"] = ReconstructionLoss.MeanSquaredError(logits.sigmoid(), targets),
            });
        };
    }
}
