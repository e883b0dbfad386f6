using static TorchSharp.torch;

namespace AutoencoderNotebooks.Evaluation;

/// <summary>Comparing linear subspaces (chapter 1).</summary>
public static class Subspaces
{
    /// <summary>
    /// Principal angles, in degrees and ascending, between the column spaces of <paramref name="a"/> and
    /// <paramref name="b"/> (both [d, k]): orthonormalise each by QR, then the singular values of QₐᵀQ_b
    /// are the cosines of the angles (Björck &amp; Golub, 1973). All zero means the same subspace.
    /// </summary>
    public static double[] PrincipalAnglesDegrees(Tensor a, Tensor b)
    {
        if (a.shape[0] != b.shape[0])
            throw new ArgumentException($"Both bases need the same number of rows; got {a.shape[0]} and {b.shape[0]}.");
        using var scope = NewDisposeScope();
        var (qa, _) = linalg.qr(a.to_type(ScalarType.Float64));
        var (qb, _) = linalg.qr(b.to_type(ScalarType.Float64));
        var cosines = linalg.svdvals(qa.t().mm(qb)).clamp(-1.0, 1.0);
        return cosines.acos().rad2deg().data<double>().ToArray().Order().ToArray();
    }
}
