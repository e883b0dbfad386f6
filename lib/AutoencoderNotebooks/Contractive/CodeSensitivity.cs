using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Evaluation;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Contractive;

/// <summary>How much the codings move per unit of input perturbation, at one noise level (chapter 7).</summary>
public sealed record SensitivityPoint(double Sigma, double Sensitivity);

/// <summary>Sensitivity of an encoder to small input perturbations (chapter 7).</summary>
public static class CodeSensitivity
{
    /// <summary>
    /// The mean over images of ‖f(x + ε) − f(x)‖ / ‖ε‖ with ε ~ N(0, σ²I) drawn from a generator seeded with
    /// <paramref name="seed"/> (the same perturbations for every model), codings computed in eval mode.
    /// </summary>
    public static double At(IAutoencoder model, Tensor images, double sigma, int seed = 42)
    {
        using var scope = NewDisposeScope();
        var flat = images.reshape(images.shape[0], -1);
        var noisy = NoiseRobustness.Noisy(flat, sigma, seed);
        var change = (model.EncodeAll(noisy) - model.EncodeAll(flat)).norm(1);
        var perturbation = (noisy - flat).norm(1);
        return (change / perturbation).mean().item<float>();
    }

    /// <summary>
    /// The spread of the codings over <paramref name="images"/>: √(Σⱼ Var zⱼ), the root-mean-square distance of a
    /// coding from the mean coding. <see cref="At"/> divided by it is a sensitivity relative to how far apart the
    /// codings of different images lie, which a decoder that re-amplifies shrunken codings cannot game.
    /// </summary>
    public static double Spread(IAutoencoder model, Tensor images)
    {
        using var scope = NewDisposeScope();
        return model.EncodeAll(images.reshape(images.shape[0], -1)).var(0).sum().sqrt().item<float>();
    }

    /// <summary><see cref="At"/> for each σ in <paramref name="sigmas"/>.</summary>
    public static IReadOnlyList<SensitivityPoint> Curve(IAutoencoder model, Tensor images, IEnumerable<double> sigmas, int seed = 42) =>
        sigmas.Select(s => new SensitivityPoint(s, At(model, images, s, seed))).ToList();
}
