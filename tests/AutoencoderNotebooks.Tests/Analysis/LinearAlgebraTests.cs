using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Evaluation;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Analysis;

public class LinearAlgebraTests
{
    [Fact]
    public void Principal_angles_of_known_planes()
    {
        // span{e1, e2} against span{e1, cos t e2 + sin t e3}: angles 0 and t.
        var t = 30 * Math.PI / 180;
        var a = tensor(new double[,] { { 1, 0 }, { 0, 1 }, { 0, 0 } });
        var b = tensor(new double[,] { { 2, 0 }, { 0, Math.Cos(t) }, { 0, Math.Sin(t) } });
        var angles = Subspaces.PrincipalAnglesDegrees(a, b);
        Assert.Equal(0, angles[0], 6);
        Assert.Equal(30, angles[1], 6);
    }

    [Fact]
    public void Principal_angles_ignore_the_choice_of_basis()
    {
        manual_seed(3);
        var basis = randn(5, 2, dtype: ScalarType.Float64);
        var mixed = basis.mm(tensor(new double[,] { { 2, 1 }, { -1, 3 } }));
        Assert.All(Subspaces.PrincipalAnglesDegrees(basis, mixed), a => Assert.True(a < 1e-5));
        Assert.Equal(90, Subspaces.PrincipalAnglesDegrees(tensor(new double[,] { { 1 }, { 0 } }), tensor(new double[,] { { 0 }, { 1 } }))[0], 6);
    }

    [Fact]
    public void Pca_recovers_a_known_principal_direction_and_variance()
    {
        manual_seed(5);
        // Variance 9 along (1, 1)/√2 and 0.01 across it.
        var along = randn(20000, 1, dtype: ScalarType.Float64) * 3;
        var across = randn(20000, 1, dtype: ScalarType.Float64) * 0.1;
        var u = tensor(new double[] { 1, 1 }) / Math.Sqrt(2);
        var v = tensor(new double[] { 1, -1 }) / Math.Sqrt(2);
        var data = along * u + across * v + 5;

        using var pca = Pca.Fit(data, 1);

        Assert.Equal(9, pca.ExplainedVariance.item<double>(), 0);
        Assert.Equal(1, Math.Abs(pca.Components[0].dot(u).item<double>()), 3);
        Assert.Equal(5, pca.Mean.mean().item<double>(), 1);
        var reconstructionError = (pca.Reconstruct(data) - data).square().sum(1).mean().item<double>();
        Assert.Equal(0.01, reconstructionError, 2);
    }

    [Fact]
    public void The_synthetic_3D_set_is_standardised_and_nearly_flat()
    {
        var data = SyntheticData.ThreeDimensional(200, 0.1, seed: 42);
        Assert.Equal([200L, 3], data.Points.shape);
        Assert.All(data.Points.mean([0]).data<float>().ToArray(), m => Assert.Equal(0, m, 4));
        Assert.All(data.Points.std(0).data<float>().ToArray(), s => Assert.Equal(1, s, 4));
        Assert.InRange(data.Angles.min().item<float>(), -0.5, 3 * Math.PI / 2 - 0.5);
        using var pca = Pca.Fit(data.Points, 3);
        var variances = pca.ExplainedVariance.data<float>().ToArray();
        Assert.True(variances[2] < 0.1 * variances.Sum(), "the third direction should carry under 10% of the variance");
        Assert.True(SyntheticData.ThreeDimensional(200, 0.1, seed: 42).Points.allclose(data.Points, rtol: 0, atol: 0));
    }
}
