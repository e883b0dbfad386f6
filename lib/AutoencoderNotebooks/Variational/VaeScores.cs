using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Variational;

/// <summary>A VAE's test-set numbers (chapter 6).</summary>
/// <param name="BookLoss">Per-pixel reconstruction loss + latent loss / 784, with the mean coding: the book's val_loss units.</param>
/// <param name="NegativeElboNats">−ELBO per image in nats: the summed reconstruction negative log-likelihood of one sampled coding plus the KL.</param>
/// <param name="Latent">The latent loss (KL to the prior) per image, in nats.</param>
/// <param name="BookLossSampled">The book-units loss with the sampled coding instead of the mean.</param>
public sealed record VaeScores(double BookLoss, double NegativeElboNats, double Latent, double BookLossSampled);

/// <summary>Scores a VAE on a data set as the book reports it and as the VAE literature does (chapter 6).</summary>
public static class VaeScoring
{
    /// <summary>
    /// The book-units loss (with the mean coding, deterministic) and the negative ELBO per image in nats (one coding
    /// sampled per image with a seeded generator). For BCE the decoder is a Bernoulli per pixel; for MSE a Gaussian
    /// with variance ½ per pixel, the one whose negative log-likelihood is the summed squared error plus a constant.
    /// </summary>
    public static VaeScores Evaluate(VariationalAutoencoder model, Tensor images, VariationalObjective objective, int seed = 42, int batchSize = 2000)
    {
        using var evaluation = new EvaluationMode(model);
        using var generator = new Generator((ulong)seed);
        double book = 0, elbo = 0, latentTotal = 0, bookSampled = 0;
        var count = images.shape[0];
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var size = Math.Min(batchSize, count - start);
            var x = images.narrow(0, start, size).reshape(size, -1);
            var (mean, logVariance) = model.EncodeDistribution(x);
            var latent = VariationalLosses.LatentLoss(mean, logVariance);
            var sampled = model.DecodeLogits(VariationalAutoencoder.Reparameterize(mean, logVariance, generator));
            var atMean = model.DecodeLogits(mean);
            var bce = objective.Reconstruction == VaeReconstruction.BinaryCrossEntropy;
            var perPixel = bce ? ReconstructionLoss.BinaryCrossEntropyWithLogits(atMean, x) : ReconstructionLoss.MeanSquaredError(model.Pixels(atMean), x);
            var perPixelSampled = bce ? ReconstructionLoss.BinaryCrossEntropyWithLogits(sampled, x) : ReconstructionLoss.MeanSquaredError(model.Pixels(sampled), x);
            var negLogLikelihood = bce
                ? perPixelSampled * VariationalObjective.Pixels
                : perPixelSampled * VariationalObjective.Pixels + VariationalObjective.Pixels * 0.5 * Math.Log(Math.PI);
            var latentBookUnits = latent.mean().item<float>() * objective.Beta / VariationalObjective.Pixels;
            book += (perPixel.item<float>() + latentBookUnits) * size;
            bookSampled += (perPixelSampled.item<float>() + latentBookUnits) * size;
            elbo += (negLogLikelihood.item<float>() + latent.mean().item<float>()) * size;
            latentTotal += latent.sum().item<float>();
        }
        return new VaeScores(book / count, elbo / count, latentTotal / count, bookSampled / count);
    }

    /// <summary>
    /// Decoded images along the straight line between the latent means of two images, <paramref name="steps"/>
    /// points including both ends; [steps, 28, 28].
    /// </summary>
    public static Tensor Interpolate(VariationalAutoencoder model, Tensor from, Tensor to, int steps = 8)
    {
        using var evaluation = new EvaluationMode(model);
        using var scope = NewDisposeScope();
        var ends = model.EncodeDistribution(stack([from.reshape(-1), to.reshape(-1)])).Mean;
        var t = linspace(0, 1, steps).unsqueeze(1);
        var codings = ends[0].unsqueeze(0) * (1 - t) + ends[1].unsqueeze(0) * t;
        return model.Decode(codings).reshape(steps, 28, 28).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Images decoded on a <paramref name="side"/> × <paramref name="side"/> grid over a 2-D latent plane at
    /// the normal quantiles of evenly spaced probabilities (the book's manifold figure); rows top to bottom
    /// = decreasing z₂. [side², 28, 28].
    /// </summary>
    public static Tensor Manifold(VariationalAutoencoder model, int side = 15)
    {
        if (model.Config.Codings != 2) throw new ArgumentException($"A manifold grid needs a 2-D latent space; this VAE has {model.Config.Codings}.", nameof(model));
        using var evaluation = new EvaluationMode(model);
        using var scope = NewDisposeScope();
        var probabilities = linspace(0.05, 0.95, side);
        var quantiles = special.ndtri(probabilities);
        var z1 = quantiles.unsqueeze(0).expand(side, side);
        var z2 = quantiles.flip(0).unsqueeze(1).expand(side, side);
        var codings = stack([z1.reshape(-1), z2.reshape(-1)], 1);
        return model.Decode(codings).reshape(side * side, 28, 28).MoveToOuterDisposeScope();
    }
}
