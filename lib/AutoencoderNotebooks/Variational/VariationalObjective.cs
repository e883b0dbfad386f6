using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Variational;

/// <summary>How a VAE measures reconstruction (chapter 6).</summary>
public enum VaeReconstruction
{
    /// <summary>Per-pixel binary cross-entropy (the book's 2nd edition).</summary>
    BinaryCrossEntropy,

    /// <summary>Per-pixel mean squared error (the book's 3rd edition).</summary>
    MeanSquaredError,
}

/// <summary>
/// The VAE loss in the book's units (chapter 6): the per-pixel reconstruction loss plus β times the latent loss
/// divided by 784, so that both terms are per pixel, as Keras reports val_loss. Logs <c>reconstruction</c>,
/// <c>latent</c> (β·KL/784) and <c>mse</c> separately.
/// </summary>
/// <param name="Reconstruction">BCE or MSE.</param>
/// <param name="Beta">Weight of the latent loss (β-VAE; 1 is the plain VAE).</param>
public sealed record VariationalObjective(VaeReconstruction Reconstruction, double Beta = 1) : Objective
{
    /// <summary>Pixels per image: the book divides the latent loss by it.</summary>
    public const int Pixels = 784;

    /// <inheritdoc />
    public override LossFunction For(nn.Module<Tensor, Tensor> model)
    {
        var vae = model as VariationalAutoencoder ?? throw new ArgumentException($"{model.GetType().Name} is not a VariationalAutoencoder.", nameof(model));
        if (Reconstruction == VaeReconstruction.BinaryCrossEntropy && vae.Config.LinearOutput)
            throw new ArgumentException("Binary cross-entropy needs a sigmoid output, and this VAE's output layer is linear (LinearOutput = true): train it with VaeReconstruction.MeanSquaredError or build it without LinearOutput.", nameof(model));
        return (inputs, targets) =>
        {
            var (mean, logVariance) = vae.EncodeDistribution(inputs);
            var codings = vae.training ? VariationalAutoencoder.Reparameterize(mean, logVariance) : mean;
            var logits = vae.DecodeLogits(codings).reshape(targets.shape);
            var reconstruction = Reconstruction == VaeReconstruction.BinaryCrossEntropy
                ? ReconstructionLoss.BinaryCrossEntropyWithLogits(logits, targets)
                : ReconstructionLoss.MeanSquaredError(vae.Pixels(logits), targets);
            var latent = VariationalLosses.LatentLoss(mean, logVariance).mean() * (Beta / Pixels);
            var total = reconstruction + latent;
            using var noGrad = no_grad();
            return new LossTerms(total, new Dictionary<string, Tensor>
            {
                ["reconstruction"] = reconstruction.detach(),
                ["latent"] = latent.detach(),
                ["mse"] = ReconstructionLoss.MeanSquaredError(vae.Pixels(logits), targets),
            });
        };
    }
}
