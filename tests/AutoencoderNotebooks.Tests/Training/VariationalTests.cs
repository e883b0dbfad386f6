using AutoencoderNotebooks.Variational;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

public class VariationalTests
{
    [Fact]
    public void The_latent_loss_is_zero_at_the_prior_and_matches_a_hand_computation()
    {
        Assert.Equal(0, VariationalLosses.LatentLoss(zeros(3, 10), zeros(3, 10)).abs().max().item<float>(), 7);
        // μ = (1, 2), log σ² = (0, ln 4): −½[(1 + 0 − 1 − 1) + (1 + ln 4 − 4 − 4)] = 4 − ½ ln 4.
        var latent = VariationalLosses.LatentLoss(tensor(new float[,] { { 1, 2 } }), tensor(new float[,] { { 0, (float)Math.Log(4) } }));
        Assert.Equal(4 - 0.5 * Math.Log(4), latent.item<float>(), 5);
    }

    [Fact]
    public void The_latent_loss_is_the_KL_divergence_to_the_prior()
    {
        // Cross-check with the general Gaussian KL: Σ log(1/σ) + (σ² + μ²)/2 − ½.
        manual_seed(1);
        var mu = randn(5, 4, dtype: ScalarType.Float64);
        var logVar = randn(5, 4, dtype: ScalarType.Float64);
        var sigma = (logVar * 0.5).exp();
        var expected = (sigma.log().neg() + (sigma.square() + mu.square()) / 2 - 0.5).sum(1);
        Assert.True(VariationalLosses.LatentLoss(mu, logVar).allclose(expected, rtol: 1e-10));
    }

    [Fact]
    public void Reparameterised_samples_have_the_encoded_mean_and_spread_and_pass_gradients()
    {
        manual_seed(2);
        var mu = full(20000, 1, 1.5).requires_grad_(true);
        var logVar = full(20000, 1, Math.Log(0.25)).requires_grad_(true);
        var z = VariationalAutoencoder.Reparameterize(mu, logVar);
        Assert.Equal(1.5, z.mean().item<float>(), 1);
        Assert.Equal(0.5, z.std().item<float>(), 1);
        z.sum().backward();
        Assert.Equal(20000, mu.grad!.sum().item<float>(), 1);
        Assert.True(logVar.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Eval_mode_codes_with_the_mean_and_training_mode_samples()
    {
        manual_seed(3);
        var vae = new VariationalAutoencoder(VariationalAutoencoderConfig.Book);
        var x = rand(8, 28, 28);
        using var noGrad = no_grad();
        vae.eval();
        Assert.True(vae.Encode(x).equal(vae.EncodeDistribution(x).Mean).all().item<bool>());
        vae.train();
        Assert.False(vae.Encode(x).allclose(vae.Encode(x)));
    }

    [Fact]
    public void Generated_images_have_the_image_shape_and_pixel_range_and_follow_the_seed()
    {
        manual_seed(4);
        var vae = new VariationalAutoencoder(VariationalAutoencoderConfig.Book);
        var images = vae.Generate(16, seed: 5);
        Assert.Equal([16L, 28, 28], images.shape);
        Assert.True(images.min().item<float>() >= 0 && images.max().item<float>() <= 1);
        Assert.True(images.equal(vae.Generate(16, seed: 5)).all().item<bool>());
        Assert.False(images.equal(vae.Generate(16, seed: 6)).all().item<bool>());
    }

    [Fact]
    public void The_objective_adds_the_latent_loss_over_784_to_the_per_pixel_reconstruction()
    {
        manual_seed(5);
        var vae = new VariationalAutoencoder(VariationalAutoencoderConfig.Book);
        var x = rand(6, 28, 28);
        vae.eval();
        var terms = new VariationalObjective(VaeReconstruction.BinaryCrossEntropy, Beta: 2).For(vae)(x, x);
        using var noGrad = no_grad();
        var (mu, logVar) = vae.EncodeDistribution(x);
        var expectedLatent = VariationalLosses.LatentLoss(mu, logVar).mean().item<float>() * 2 / 784;
        Assert.Equal(expectedLatent, terms.Components["latent"].item<float>(), 6);
        Assert.Equal(terms.Total.item<float>(), terms.Components["reconstruction"].item<float>() + expectedLatent, 5);
        var scores = VaeScoring.Evaluate(vae, x, new VariationalObjective(VaeReconstruction.BinaryCrossEntropy, Beta: 2));
        Assert.Equal(terms.Total.item<float>(), scores.BookLoss, 4);
    }

    [Fact]
    public void The_manifold_needs_a_two_dimensional_latent_space()
    {
        var vae2d = new VariationalAutoencoder(VariationalAutoencoderConfig.Book with { Codings = 2 });
        Assert.Equal([9L, 28, 28], VaeScoring.Manifold(vae2d, side: 3).shape);
        Assert.Throws<ArgumentException>(() => VaeScoring.Manifold(new VariationalAutoencoder(VariationalAutoencoderConfig.Book)));
    }

    [Fact]
    public void A_linear_output_VAE_is_scored_on_its_raw_output_shows_clipped_images_and_refuses_cross_entropy()
    {
        manual_seed(6);
        var vae = new VariationalAutoencoder(VariationalAutoencoderConfig.ThirdEdition);
        var x = rand(6, 28, 28);
        vae.eval();
        using var noGrad = no_grad();
        var raw = vae.DecodeLogits(vae.EncodeDistribution(x).Mean);
        Assert.True(raw.min().item<float>() < 0, "an untrained linear layer's outputs straddle 0, so clipping shows");
        Assert.True(vae.forward(x).reshape(6, -1).equal(raw.clamp(0, 1)).all().item<bool>());
        var objective = new VariationalObjective(VaeReconstruction.MeanSquaredError);
        var terms = objective.For(vae)(x, x);
        Assert.Equal((raw - x.reshape(6, -1)).square().mean().item<float>(), terms.Components["reconstruction"].item<float>(), 6);
        Assert.Equal(terms.Total.item<float>(), VaeScoring.Evaluate(vae, x, objective).BookLoss, 4);
        var refused = Assert.Throws<ArgumentException>(() => new VariationalObjective(VaeReconstruction.BinaryCrossEntropy).For(vae));
        Assert.Contains("LinearOutput", refused.Message);
    }
}
