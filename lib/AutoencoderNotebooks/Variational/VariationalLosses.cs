using static TorchSharp.torch;

namespace AutoencoderNotebooks.Variational;

/// <summary>The VAE's latent loss (chapter 6).</summary>
public static class VariationalLosses
{
    /// <summary>
    /// KL(q(z | x) ‖ N(0, I)) per sample in the log-variance form, <c>−½ Σⱼ (1 + log σⱼ² − σⱼ² − μⱼ²)</c>, [N]
    /// (Kingma &amp; Welling, 2014, appendix B; Géron 2nd ed., ch. 17, "Variational Autoencoders", latent_loss).
    /// Zero for μ = 0, log σ² = 0.
    /// </summary>
    public static Tensor LatentLoss(Tensor mean, Tensor logVariance) =>
        (logVariance + 1 - logVariance.exp() - mean.square()).sum(1) * -0.5;
}
