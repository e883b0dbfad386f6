using static TorchSharp.torch;

namespace AutoencoderNotebooks.Evaluation;

/// <summary>The Fréchet distance between two sets of feature vectors (chapter 8).</summary>
public static class FrechetDistance
{
    /// <summary>
    /// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½): the Fréchet (2-Wasserstein) distance between Gaussians fitted
    /// to the rows of <paramref name="a"/> and <paramref name="b"/> ([N, d] each), as in the FID (Heusel et al.,
    /// 2017). Square roots of symmetric matrices come from eigendecompositions (negative round-off eigenvalues
    /// clipped to 0), computed in float64.
    /// </summary>
    public static double Between(Tensor a, Tensor b)
    {
        if (a.shape[1] != b.shape[1]) throw new ArgumentException($"Feature sizes differ: {a.shape[1]} and {b.shape[1]}.", nameof(b));
        if (a.shape[0] < 2 || b.shape[0] < 2) throw new ArgumentException("Each set needs at least two feature vectors.", nameof(a));
        using var scope = NewDisposeScope();
        var (meanA, covA) = Moments(a);
        var (meanB, covB) = Moments(b);
        var rootA = SymmetricSqrt(covA);
        var middle = rootA.matmul(covB).matmul(rootA);
        var traceRoot = linalg.eigvalsh((middle + middle.t()) / 2).clamp(min: 0).sqrt().sum();
        var distance = (meanA - meanB).square().sum() + covA.trace() + covB.trace() - traceRoot * 2;
        return Math.Max(0, distance.item<double>());
    }

    private static (Tensor Mean, Tensor Covariance) Moments(Tensor features)
    {
        var x = features.to_type(ScalarType.Float64);
        var mean = x.mean([0]);
        var centered = x - mean;
        return (mean, centered.t().matmul(centered) / (x.shape[0] - 1));
    }

    private static Tensor SymmetricSqrt(Tensor matrix)
    {
        var (values, vectors) = linalg.eigh((matrix + matrix.t()) / 2);
        return (vectors * values.clamp(min: 0).sqrt().unsqueeze(0)).matmul(vectors.t());
    }
}
