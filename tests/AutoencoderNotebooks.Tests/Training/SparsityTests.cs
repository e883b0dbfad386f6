using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Sparse;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

public class SparsityTests
{
    [Fact]
    public void L1_is_the_sum_over_units_of_the_mean_absolute_activation()
    {
        var codings = tensor(new float[,] { { 0.2f, -0.4f }, { 0.6f, 0f } });
        Assert.Equal(0.4 + 0.2, SparsityPenalties.L1(codings).item<float>(), 6);
    }

    [Fact]
    public void KL_is_zero_at_the_target_and_matches_its_closed_form_elsewhere()
    {
        Assert.Equal(0, SparsityPenalties.KullbackLeibler(full(8, 5, 0.1f), 0.1).item<float>(), 6);
        // Two units with mean activations 0.5 and 0.02.
        var codings = tensor(new float[,] { { 0.4f, 0.01f }, { 0.6f, 0.03f } });
        double Kl(double p, double q) => p * Math.Log(p / q) + (1 - p) * Math.Log((1 - p) / (1 - q));
        Assert.Equal(Kl(0.1, 0.5) + Kl(0.1, 0.02), SparsityPenalties.KullbackLeibler(codings, 0.1).item<float>(), 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => SparsityPenalties.KullbackLeibler(codings, 1.0));
    }

    [Fact]
    public void KL_gradient_matches_autograd_and_the_closed_form()
    {
        manual_seed(1);
        var codings = rand(16, 6, dtype: ScalarType.Float64).requires_grad_(true);
        SparsityPenalties.KullbackLeibler(codings, 0.1).backward();
        // d/dz_ij = (1/B) · (−p/q_j + (1 − p)/(1 − q_j)), the same for every row of a column.
        using var noGrad = no_grad();
        var q = codings.mean([0]);
        var expected = ((q.reciprocal() * -0.1) + (1 - q).reciprocal() * 0.9) / 16;
        Assert.True(codings.grad!.allclose(expected.unsqueeze(0).expand(16, 6), rtol: 1e-6));
    }

    [Fact]
    public void The_sparse_objective_logs_reconstruction_and_weighted_penalty_that_add_up()
    {
        manual_seed(2);
        var model = new SparseAutoencoder(new SparseAutoencoderConfig([784, 32, 64]));
        var x = rand(10, 28, 28);
        var terms = new SparseObjective(SparsityPenalty.KullbackLeibler, 0.5).For(model)(x, x);
        var parts = terms.Components;
        Assert.Equal(terms.Total.item<float>(), parts["reconstruction"].item<float>() + parts["sparsity"].item<float>(), 5);
        using var noGrad = no_grad();
        var codings = model.Encode(x);
        Assert.Equal(0.5 * SparsityPenalties.KullbackLeibler(codings, 0.1).item<float>(), parts["sparsity"].item<float>(), 5);
        Assert.Equal(codings.mean().item<float>(), parts["mean activation"].item<float>(), 6);
        Assert.Throws<ArgumentException>(() => SparseObjective.BookL1.For(new StackedAutoencoder(StackedAutoencoderConfig.Book)));
    }

    [Fact]
    public void Hashes_pack_rounded_codings_into_bits_and_group_images()
    {
        var codings = tensor(new float[,] { { 0.98f, 0.02f, 0.9f }, { 0.97f, 0.01f, 0.95f }, { 0.1f, 0.6f, 0.02f } });
        var hashes = SemanticHashing.Hashes(codings);
        Assert.Equal([0b101L, 0b101L, 0b010L], hashes);
        Assert.Equal("101", SemanticHashing.Bits(0b101, 3));
        Assert.Equal(8.0 / 9, SemanticHashing.NearBinaryShare(codings, 0.1), 5);
        var bucket = SemanticHashing.LargestBuckets(hashes, 3, 1).Single();
        Assert.Equal([0L, 1L], bucket.Indices);
    }

    [Fact]
    public void Class_agreement_counts_same_hash_pairs_against_all_pairs()
    {
        // Hashes {A, A, A, B}; classes {0, 0, 1, 1}: same-hash pairs (0,1) (0,2) (1,2), one shares a class;
        // all 6 pairs: (0,1) and (2,3) share a class.
        var agreement = SemanticHashing.ClassAgreement([7, 7, 7, 3], [0, 0, 1, 1]);
        Assert.Equal(3, agreement.SameHashPairs);
        Assert.Equal(1.0 / 3, agreement.SameHashSameClass, 6);
        Assert.Equal(2.0 / 6, agreement.RandomSameClass, 6);
        Assert.Throws<ArgumentException>(() => SemanticHashing.ClassAgreement([1, 2], [0, 0]));
    }

    [Fact]
    public void The_hashing_noise_acts_before_the_sigmoid_in_training_only()
    {
        manual_seed(3);
        var model = new HashingAutoencoder(HashingAutoencoderConfig.Book);
        var x = rand(200, 784);
        using var noGrad = no_grad();
        model.train();
        var noisy = model.Encode(x);
        model.eval();
        var clean = model.Encode(x);
        // σ = 15 before the sigmoid: |logit| > 2.2 (within 0.1 of 0 or 1) for 88% of training codings even untrained;
        // the clean codings of an untrained model sit mid-range.
        Assert.True(SemanticHashing.NearBinaryShare(noisy) > 0.8);
        Assert.True(SemanticHashing.NearBinaryShare(clean) < 0.5);
    }
}
