using AutoencoderNotebooks.Evaluation;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Analysis;

public class TsneTests
{
    [Fact]
    public void Separates_two_well_separated_Gaussian_clusters()
    {
        manual_seed(9);
        var a = randn(100, 10);
        var b = randn(100, 10) + 12;
        var y = Tsne.Embed(cat([a, b], 0), new TsneOptions(Perplexity: 20, Iterations: 400, ExaggerationIterations: 150));

        Assert.Equal([200L, 2], y.shape);
        var ca = y.narrow(0, 0, 100);
        var cb = y.narrow(0, 100, 100);
        var gap = (ca.mean([0]) - cb.mean([0])).norm().item<float>();
        var spread = Math.Max(ca.std(0).norm().item<float>(), cb.std(0).norm().item<float>());
        Assert.True(gap > 3 * spread, $"centroid gap {gap:F2} vs spread {spread:F2}");

        // Every point's nearest embedded neighbour is in its own cluster.
        var d = cdist(y, y);
        d.diagonal().fill_(float.PositiveInfinity);
        var nearest = d.argmin(1);
        var sameCluster = (nearest < 100).eq(arange(200) < 100);
        Assert.True(sameCluster.all().item<bool>());
    }

    [Fact]
    public void Input_affinities_are_symmetric_and_sum_to_one()
    {
        manual_seed(10);
        var x = randn(60, 5);
        var (rows, cols, p) = Tsne.NeighbourAffinities(x, perplexity: 10);
        Assert.Equal(1.0, p.sum().item<float>(), 4);
        var dense = zeros(60, 60);
        dense.index_put_(p, rows, cols);
        Assert.True(dense.allclose(dense.t(), atol: 1e-7));
        Assert.True(dense.diagonal().abs().sum().item<float>() == 0);
    }

    [Fact]
    public void Input_affinities_list_each_pair_once_in_row_then_column_order()
    {
        manual_seed(11);
        var n = 300;
        var (rows, cols, p) = Tsne.NeighbourAffinities(randn(n, 4), perplexity: 10);
        var linear = rows * n + cols;
        Assert.True((linear.narrow(0, 1, linear.shape[0] - 1) > linear.narrow(0, 0, linear.shape[0] - 1)).all().item<bool>());
        Assert.True((p > 0).all().item<bool>());
        // At most 2k pairs per point (its own k neighbours and those that chose it), far fewer than N².
        Assert.InRange(rows.shape[0], n * 30, 2 * n * 30);
    }

    [LinuxFact]
    public void Input_affinities_of_twelve_thousand_points_need_no_N_by_N_matrix()
    {
        manual_seed(12);
        var x = randn(12_000, 8);
        File.WriteAllText("/proc/self/clear_refs", "5"); // restart the peak resident-memory count
        var before = ResidentPeak();
        var (rows, _, _) = Tsne.NeighbourAffinities(x, perplexity: 30);
        var grown = ResidentPeak() - before;
        // A dense float64 P alone would be 12,000² × 8 B = 1.15 GB (and its symmetrisation twice that); the pair
        // list is tens of MB, sorting it for duplicates a few hundred.
        Assert.True(grown < 1_000_000_000, $"peak memory grew by {grown / 1e6:F0} MB for {rows.shape[0]:N0} pairs");
    }

    private static long ResidentPeak() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:"))[6..].Trim().Split(' ')[0]) * 1024;

    [Fact]
    public void Gradient_matches_autograd_of_the_KL_divergence()
    {
        manual_seed(11);
        var x = randn(40, 6);
        var (rows, cols, p) = Tsne.NeighbourAffinities(x, perplexity: 8);
        var y = randn(40, 2).requires_grad_(true);

        var dense = zeros(40, 40);
        dense.index_put_(p, rows, cols);
        var sq = (y.unsqueeze(1) - y.unsqueeze(0)).square().sum(2);
        var num = (sq + 1).reciprocal() * (1 - eye(40));
        var q = num / num.sum();
        var mask = dense > 0;
        var kl = (dense.masked_select(mask) * (dense.masked_select(mask) / q.masked_select(mask)).log()).sum();
        kl.backward();

        var ours = Tsne.Gradient(y.detach(), rows, cols, p, exaggeration: 1, buffer: empty(16, 40));
        Assert.True(ours.allclose(y.grad!, rtol: 1e-3, atol: 1e-6));
    }
}
