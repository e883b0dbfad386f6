using static TorchSharp.torch;

namespace AutoencoderNotebooks.Sparse;

/// <summary>Penalties that make the codings sparse (chapter 5).</summary>
public static class SparsityPenalties
{
    /// <summary>
    /// L1 activity regularisation: the sum over coding units of the mean absolute activation over the batch,
    /// <c>Σⱼ mean_batch |zⱼ|</c> — Keras' <c>ActivityRegularization(l1=…)</c> per sample, as in Géron 2nd ed.,
    /// ch. 17, "Sparse Autoencoders".
    /// </summary>
    public static Tensor L1(Tensor codings) => codings.abs().mean([0]).sum();

    /// <summary>
    /// The KL divergence between a Bernoulli of the target activation p and one of each unit's mean activation q
    /// over the batch, summed over units: <c>Σⱼ p log(p/qⱼ) + (1 − p) log((1 − p)/(1 − qⱼ))</c> (Ng, "Sparse
    /// autoencoder", CS294A lecture notes, 2011; Géron 2nd ed., ch. 17, <c>KLDivergenceRegularizer</c>).
    /// Zero when every qⱼ = p; its gradient grows without bound as qⱼ approaches 0 or 1.
    /// </summary>
    public static Tensor KullbackLeibler(Tensor codings, double target)
    {
        if (target is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(target), target, "The target activation must lie strictly between 0 and 1.");
        var q = codings.mean([0]).clamp(1e-7, 1 - 1e-7);
        return BernoulliKl(target, q).sum();
    }

    /// <summary>KL(Bernoulli(p) ‖ Bernoulli(q)) elementwise for a tensor q of mean activations.</summary>
    public static Tensor BernoulliKl(double p, Tensor q) => (q.log().neg() + Math.Log(p)) * p + ((1 - q).log().neg() + Math.Log(1 - p)) * (1 - p);
}
