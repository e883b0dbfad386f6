using static TorchSharp.torch;

namespace AutoencoderNotebooks.Diffusion;

/// <summary>
/// How the noise-prediction loss weighs the steps (chapter 9). Ho et al.'s "simple" loss weighs every step alike;
/// Hang et al.'s min-SNR weighting caps the weight of the nearly clean steps, whose gradients otherwise pull against
/// those of the noisy ones and slow training down. A record, so it is part of the saved model's key.
/// </summary>
/// <param name="MinSnrGamma">The cap γ of the signal-to-noise ratio, or null for equal weights.</param>
public sealed record NoiseWeighting(double? MinSnrGamma)
{
    /// <summary>The course's weighting: min-SNR with γ = 5, the paper's choice.</summary>
    public static NoiseWeighting Course { get; } = new(5.0);

    /// <summary>Every step weighed alike: Ho et al.'s simple loss.</summary>
    public static NoiseWeighting Uniform { get; } = new((double?)null);

    /// <summary>The weight of each row's step: min(SNR_t, γ)/SNR_t, or 1 for <see cref="Uniform"/>.</summary>
    public Tensor Weights(Tensor alphaBarsAtT) =>
        MinSnrGamma is { } gamma ? NoiseLosses.MinSnrWeights(alphaBarsAtT, gamma) : ones_like(alphaBarsAtT);
}

/// <summary>The pieces of the noise-prediction loss (chapter 9), each a named function.</summary>
public static class NoiseLosses
{
    /// <summary>
    /// The signal-to-noise ratio of step t, SNR_t = ᾱ_t / (1 − ᾱ_t): the variance of the signal in x_t over that of
    /// its noise (Kingma et al., 2021, "Variational diffusion models", eq. 3). It falls from about 2.5·10⁴ at the
    /// course's first step to 2.4·10⁻⁹ at its last.
    /// </summary>
    public static Tensor SignalToNoise(Tensor alphaBarsAtT) => alphaBarsAtT / (1 - alphaBarsAtT);

    /// <summary>
    /// min(SNR_t, γ) / SNR_t: the min-SNR-γ weight of the noise-prediction loss (Hang et al., 2023, "Efficient
    /// diffusion training via min-SNR weighting strategy", sect. 3.4, the form for a network that predicts ε). It is
    /// 1 wherever SNR_t ≤ γ (the noisy steps, where the image must be invented) and γ/SNR_t below that noise level.
    /// </summary>
    public static Tensor MinSnrWeights(Tensor alphaBarsAtT, double gamma)
    {
        var snr = SignalToNoise(alphaBarsAtT);
        return snr.clamp(max: gamma) / snr;
    }

    /// <summary>The mean squared error of each image's predicted noise, ‖ε − ε̂‖² / D, one value per row.</summary>
    public static Tensor PerImageError(Tensor predicted, Tensor noise) => (predicted - noise).square().flatten(1).mean([1L]);
}
