using static TorchSharp.torch;

namespace AutoencoderNotebooks.Contractive;

/// <summary>
/// The contractive penalty (chapter 7): the squared Frobenius norm of the Jacobian of the codings with respect to
/// the input, ‖J_f(x)‖²_F = Σᵢⱼ (∂hⱼ/∂xᵢ)², averaged over the batch (Rifai et al., "Contractive Auto-Encoders:
/// Explicit Invariance During Feature Extraction", ICML 2011, eq. 2).
/// </summary>
public static class ContractivePenalty
{
    /// <summary>
    /// Closed form for a sigmoid coding layer h = σ(Wx + b): ‖J‖²_F = Σⱼ (hⱼ(1 − hⱼ))² Σᵢ Wⱼᵢ² (Rifai et al., 2011,
    /// eq. 3), averaged over the batch. <paramref name="codings"/> is [N, H], <paramref name="weight"/> is W, [H, D].
    /// </summary>
    public static Tensor SigmoidLayer(Tensor codings, Tensor weight) =>
        (codings * (1 - codings)).square().matmul(weight.square().sum(1)).mean();

    /// <summary>
    /// The same penalty for any encoder, through autograd: one backward pass per coding unit gives a row of the
    /// Jacobian for every sample. With <paramref name="createGraph"/> the result can itself be differentiated
    /// (double backward), so it can be trained on; it needs autograd enabled either way.
    /// </summary>
    /// <param name="encode">The encoder, [N, D] → [N, H].</param>
    /// <param name="inputs">A batch, [N, …].</param>
    /// <param name="createGraph">Keep the graph of the Jacobian for a backward pass through the penalty.</param>
    public static Tensor Autograd(Func<Tensor, Tensor> encode, Tensor inputs, bool createGraph)
    {
        if (!is_grad_enabled())
            throw new InvalidOperationException("The autograd contractive penalty differentiates the codings: call it with gradients enabled (not under no_grad).");
        var x = inputs.detach().requires_grad_(true);
        return Autograd(encode(x), x, createGraph);
    }

    /// <summary>The autograd penalty of <paramref name="codings"/> computed from <paramref name="inputs"/> (which require gradients).</summary>
    public static Tensor Autograd(Tensor codings, Tensor inputs, bool createGraph)
    {
        var units = codings.shape[1];
        Tensor? total = null;
        for (var j = 0; j < units; j++)
        {
            var row = autograd.grad([codings.select(1, j).sum()], [inputs], retain_graph: true, create_graph: createGraph)[0];
            var squared = row.square().sum();
            total = total is null ? squared : total + squared;
        }
        return total! / inputs.shape[0];
    }
}
