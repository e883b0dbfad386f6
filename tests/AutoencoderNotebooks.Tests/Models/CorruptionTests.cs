using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Models;

public class CorruptionTests
{
    [Fact]
    public void Gaussian_noise_has_the_asked_deviation_in_training_and_is_the_identity_in_eval()
    {
        manual_seed(1);
        var noise = Corruption.Gaussian(0.2).CreateModule();
        var x = full(200, 784, 0.5f);
        noise.train();
        var noisy = noise.forward(x);
        Assert.Equal(0.2, (noisy - x).std().item<float>(), 2);
        Assert.Equal(0.0, (noisy - x).mean().item<float>(), 2);
        noise.eval();
        Assert.True(noise.forward(x).equal(x).all().item<bool>());
    }

    [Fact]
    public void Dropout_zeroes_about_the_rate_and_keeps_the_expected_value_in_training_only()
    {
        manual_seed(2);
        var dropout = Corruption.Dropout(0.5).CreateModule();
        var x = ones(100, 784);
        dropout.train();
        var dropped = dropout.forward(x);
        Assert.Equal(0.5, dropped.eq(0).to_type(ScalarType.Float32).mean().item<float>(), 1);
        Assert.Equal(1.0, dropped.mean().item<float>(), 1);
        dropout.eval();
        Assert.True(dropout.forward(x).equal(x).all().item<bool>());
    }

    [Fact]
    public void Bad_amounts_are_rejected_with_the_value()
    {
        Assert.Contains("1.5", Assert.Throws<ArgumentOutOfRangeException>(() => Corruption.Dropout(1.5).CreateModule()).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Corruption.Gaussian(-1).CreateModule());
    }

    [Fact]
    public void A_denoiser_corrupts_its_inputs_in_training_but_never_the_target()
    {
        manual_seed(3);
        var model = new DenoisingAutoencoder(DenoisingAutoencoderConfig.BookGaussian with { Corruption = Corruption.Gaussian(5) });
        var x = rand(64, 28, 28);
        var targets = new List<Tensor>();
        var objective = Objective.BinaryCrossEntropy.For(model);
        LossFunction spy = (inputs, target) =>
        {
            targets.Add(target.detach().clone().DetachFromDisposeScope());
            return objective(inputs, target);
        };
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        Trainer.Fit(model, optimizer, spy, x, null, new FitSettings(Epochs: 1, BatchSize: 64, Shuffle: false), "t", x,
            progress: TrainingProgress.Silent);
        Assert.Equal(2, targets.Count); // one training batch, one validation batch
        Assert.All(targets, t => Assert.True(t.equal(x).all().item<bool>()));

        // Training mode corrupts the inputs (σ = 5 dominates), eval mode does not.
        using var noGrad = no_grad();
        model.train();
        var trainingCodings = model.Encode(x);
        model.eval();
        Assert.False(trainingCodings.allclose(model.Encode(x), atol: 1e-3));
        Assert.True(model.Encode(x).equal(model.Encode(x)).all().item<bool>());
    }

    [Fact]
    public void A_first_layer_bias_absorbs_a_constant_shift_that_is_always_there()
    {
        manual_seed(5);
        var model = new DenoisingAutoencoder(DenoisingAutoencoderConfig.BookGaussian);
        var x = rand(8, 28, 28);
        var expects = SeedMistakes.ExpectingShift(model, 1.0);
        var shifted = x + 1.0;
        Assert.True(expects.Predict(shifted).allclose(model.Predict(x), atol: 1e-5));
        // Fed what the model was not built for, the two differ: the shift is a mismatch only when one side lacks it.
        Assert.False(expects.Predict(x).allclose(model.Predict(x), atol: 1e-2));
        // The original is untouched.
        Assert.False(expects.EncoderLayers[0].bias!.allclose(model.EncoderLayers[0].bias!));
    }

    [Fact]
    public void A_dense_layer_of_half_a_unit_has_no_outputs_and_makes_every_image_the_same()
    {
        var layer = SeedMistakes.DenseInsteadOfDropout(784, 0.5);
        var codes = layer.forward(rand(4, 784));
        Assert.Equal([4L, 0L], codes.shape);
        // Whatever follows sees no pixel: a next layer (built by hand, since TorchSharp's initialiser rejects zero
        // inputs) gives its bias for every image.
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => nn.Linear(0, 3));
        var bias = tensor(new[] { 0.1f, -0.2f, 0.3f });
        var outputs = nn.functional.linear(codes, zeros(3, 0), bias);
        Assert.True(outputs.equal(bias.expand(4, 3)).all().item<bool>());
    }
}
