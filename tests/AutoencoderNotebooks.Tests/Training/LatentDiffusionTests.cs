using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Diffusion;
using AutoencoderNotebooks.Evaluation;
using AutoencoderNotebooks.LatentDiffusion;
using AutoencoderNotebooks.Variational;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

public class LatentDiffusionTests
{
    private static Dictionary<string, Tensor> Parameters(nn.Module module) => module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);

    [Fact]
    public void The_first_stage_codes_an_image_as_four_7x7_maps_and_decodes_them_back_to_28x28()
    {
        manual_seed(1);
        var model = new LatentAutoencoder(LatentAutoencoderConfig.Course);
        var images = SampleData.Images(6);
        model.eval();
        using var noGrad = no_grad();
        var (mean, logVariance) = model.EncodeDistribution(images);
        Assert.Equal([6L, 4, 7, 7], mean.shape);
        Assert.Equal([6L, 4, 7, 7], logVariance.shape);
        Assert.True(model.Encode(images).equal(mean).all().item<bool>(), "eval mode codes with the mean");
        Assert.Equal([6L, 28, 28], model.Decode(mean).shape);
        Assert.Equal(images.shape, model.forward(images).shape);
        model.train();
        Assert.False(model.Encode(images).allclose(mean), "training mode samples the coding");
        Assert.Throws<ArgumentException>(() => new LatentAutoencoder(new LatentAutoencoderConfig([32])));
    }

    [Fact]
    public void The_first_stage_loss_is_BCE_plus_beta_times_the_KL_per_pixel_and_logs_each_term()
    {
        manual_seed(2);
        var model = new LatentAutoencoder(LatentAutoencoderConfig.Course);
        var images = SampleData.Images(8);
        model.eval(); // the mean coding: the terms can be recomputed by hand
        var terms = new LatentVaeObjective(0.5).For(model)(images, images);
        Assert.True(terms.Total.requires_grad, "the total must carry gradients");
        using var noGrad = no_grad();
        var (mean, logVariance) = model.EncodeDistribution(images);
        var kl = (-0.5 * (1 + logVariance - logVariance.exp() - mean.square())).flatten(1).sum(1).mean().item<float>();
        var bce = nn.functional.binary_cross_entropy_with_logits(model.DecodeLogits(mean).reshape(8, 28, 28), images).item<float>();
        Assert.Equal(bce, terms.Components["reconstruction"].item<float>(), 1e-5f);
        Assert.Equal(0.5 * kl / 784, terms.Components["latent"].item<float>(), 1e-5);
        Assert.Equal(kl / 196, terms.Components["kl per value"].item<float>(), 1e-4);
        Assert.Equal(bce + 0.5 * kl / 784, terms.Total.item<float>(), 1e-5);
        Assert.Throws<ArgumentException>(() => new LatentVaeObjective(1).For(new VariationalAutoencoder(VariationalAutoencoderConfig.Book)));
    }

    [Fact]
    public void The_scaled_codes_have_unit_variance_and_unscale_to_the_encoders_means()
    {
        manual_seed(3);
        var model = new LatentAutoencoder(LatentAutoencoderConfig.Course);
        var data = SampleData.Data;
        var splits = new DataSplits("Fashion-MNIST", data.Train.Slice(0, 300), data.Train.Slice(3000, 40), data.Test.Slice(0, 16));
        using var codes = LatentCodes.Of(model, splits);
        Assert.Equal([300L, 4, 7, 7], codes.Train.shape);
        Assert.Equal([40L, 4, 7, 7], codes.Validation.shape);
        Assert.Equal(1, codes.Train.to_type(ScalarType.Float64).std().item<double>(), 4);
        Assert.Equal(codes.Train.abs().max().item<float>(), codes.Limit, 5);
        Assert.True(codes.TrainLabels.equal(splits.Train.Labels).all().item<bool>());
        using var noGrad = no_grad();
        model.eval();
        Assert.True(codes.Unscale(codes.Train).allclose(model.EncodeDistribution(splits.Train.Images).Mean, rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void A_conditioned_block_starts_as_the_identity_and_computes_adaptive_group_normalisation()
    {
        manual_seed(4);
        var block = new ConditionedBlock(16, 8, 4);
        var x = randn(3, 16, 7, 7);
        var embedding = randn(3, 8);
        using var noGrad = no_grad();
        Assert.True(block.forward(x, embedding).equal(x).all().item<bool>(), "the last convolution starts at zero");
        foreach (var norm in block.Norms)
            Assert.True(norm.forward(x).allclose(nn.functional.group_norm(x, 4), atol: 1e-5));

        // With the last convolution set, the block is x + conv₂(SiLU((1 + s)·GN(conv₁(SiLU(GN(x)))) + b)), (s, b) = Linear(SiLU(e)).
        var p = Parameters(block);
        p["secondConv.weight"].normal_();
        var h = nn.functional.conv2d(nn.functional.silu(nn.functional.group_norm(x, 4)), p["firstConv.weight"], p["firstConv.bias"], padding: [1, 1]);
        var scaleShift = nn.functional.linear(nn.functional.silu(embedding), p["modulation.weight"], p["modulation.bias"]);
        var (scale, shift) = (scaleShift[.., ..16].reshape(3, 16, 1, 1), scaleShift[.., 16..].reshape(3, 16, 1, 1));
        var modulated = nn.functional.group_norm(h, 4) * (1 + scale) + shift;
        var expected = x + nn.functional.conv2d(nn.functional.silu(modulated), p["secondConv.weight"], p["secondConv.bias"], padding: [1, 1]);
        Assert.True(block.forward(x, embedding).allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void The_denoiser_predicts_latent_shaped_noise_and_its_class_embedding_is_a_row_of_its_table()
    {
        manual_seed(5);
        var denoiser = new LatentDenoiser(new LatentDenoiserConfig(Width: 32, Blocks: 2, Embedding: 16));
        Assert.All(denoiser.GroupNorms, n => Assert.True(n.weight!.equal(ones_like(n.weight)).all().item<bool>() && n.bias!.equal(zeros_like(n.bias)).all().item<bool>()));
        using var noGrad = no_grad();
        var steps = tensor(new long[] { 3, 3, 900 });
        var output = denoiser.forward(randn(3, 4, 7, 7), steps, tensor(new long[] { 0, 10, 9 }));
        Assert.Equal([3L, 4, 7, 7], output.shape);
        Assert.False(output.isnan().any().item<bool>());
        // nn.Embedding, first used here: the condition of class c differs from that of class d by table rows c − d.
        var table = Parameters(denoiser)["classEmbedding.weight"];
        var difference = denoiser.Condition(steps, tensor(new long[] { 2, 7, 10 })) - denoiser.Condition(steps, tensor(new long[] { 5, 7, 0 }));
        var expected = stack(new[] { table[2] - table[5], table[7] - table[7], table[10] - table[0] });
        Assert.True(difference.allclose(expected, atol: 1e-5));
        Assert.Equal(10, denoiser.Config.NoClass);
        Assert.Throws<ArgumentException>(() => new LatentDenoiser(new LatentDenoiserConfig(Width: 30)));
    }

    [Fact]
    public void Class_dropout_hides_the_share_of_labels_it_names()
    {
        manual_seed(6);
        var labels = randint(0, 10, [100_000], dtype: ScalarType.Int64);
        Assert.True(new ClassDropout(0).Apply(labels, 10).equal(labels).all().item<bool>());
        Assert.True(new ClassDropout(1).Apply(labels, 10).eq(10).all().item<bool>());
        var dropped = ClassDropout.Course.Apply(labels, 10);
        Assert.InRange(dropped.eq(10).to_type(ScalarType.Float64).mean().item<double>(), 0.145, 0.155);
        var kept = dropped.ne(10);
        Assert.True(dropped.masked_select(kept).equal(labels.masked_select(kept)).all().item<bool>(), "kept labels are unchanged");
    }

    [Fact]
    public void Guidance_combines_the_conditional_and_unconditional_predictions_as_the_paper_writes()
    {
        manual_seed(7);
        var (first, denoiser, codes) = Untrained();
        using var noGrad = no_grad();
        // Untrained, every block's last convolution is zero and the output ignores the class: give them weights.
        foreach (var (name, parameter) in denoiser.named_parameters().Where(p => p.name.EndsWith("secondConv.weight"))) parameter.normal_(0, 0.05);
        denoiser.eval();
        var z = randn(4, 4, 7, 7);
        var classes = tensor(new long[] { 0, 3, 3, 9 });
        var t = full(4, 500, dtype: ScalarType.Int64);
        var conditional = denoiser.forward(z, t, classes);
        var unconditional = denoiser.forward(z, t, full(4, 10, dtype: ScalarType.Int64));
        Assert.False(conditional.allclose(unconditional, atol: 1e-4), "the class must change the prediction");
        GuidedSampler Sampler(double w) => new(denoiser, first, codes, NoiseSchedule.Course, w, "t");
        Assert.True(Sampler(0).GuidedNoise(z, 500, classes).allclose(unconditional, atol: 1e-5));
        Assert.True(Sampler(1).GuidedNoise(z, 500, classes).allclose(conditional, atol: 1e-5));
        Assert.True(Sampler(3).GuidedNoise(z, 500, classes).allclose(unconditional + 3 * (conditional - unconditional), atol: 1e-4));
    }

    [Fact]
    public void The_guided_sampler_draws_balanced_classes_reproducibly_as_images_in_the_unit_range()
    {
        manual_seed(8);
        var (first, denoiser, codes) = Untrained();
        var sampler = new GuidedSampler(denoiser, first, codes, NoiseSchedule.Course, 2, "t") { Steps = 3, BatchSize = 7 };
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1 }, sampler.BalancedClasses(12).data<long>().ToArray());
        var trajectory = new List<Tensor>();
        var images = sampler.Images(sampler.BalancedClasses(12), seed: 1, trajectory: trajectory);
        Assert.Equal([12L, 28, 28], images.shape);
        Assert.True(images.min().item<float>() >= 0 && images.max().item<float>() <= 1);
        Assert.Equal(3, trajectory.Count);
        Assert.Equal([7L, 28, 28], trajectory[0].shape);
        Assert.True(images.equal(sampler.Sample(12, 1)).all().item<bool>());
        Assert.False(images.equal(sampler.Sample(12, 2)).all().item<bool>());
        var latents = sampler.Latents(sampler.BalancedClasses(12), seed: 1);
        Assert.True(latents.abs().max().item<float>() <= codes.Limit + 1e-5, "the final estimate is clipped to the training latents' range");
    }

    [Fact]
    public void Agreement_is_the_share_of_samples_the_classifier_puts_in_the_requested_class()
    {
        manual_seed(9);
        var data = SampleData.Data;
        var yardstick = GeneratorYardstick.Of(new FashionClassifier(FashionClassifierConfig.Course), data.Test.Slice(0, 50), 50);
        var images = data.Test.Images.narrow(0, 0, 40);
        var predicted = yardstick.Classifier.Predict(images).argmax(1);
        Assert.Equal(1, yardstick.Agreement(images, predicted), 12);
        var wrongHalf = predicted.clone();
        wrongHalf.narrow(0, 0, 20).add_(1).remainder_(10);
        Assert.Equal(0.5, yardstick.Agreement(images, wrongHalf), 12);
    }

    [Fact]
    public void A_few_epochs_of_both_stages_beat_their_untrained_selves_and_the_denoisers_key_names_the_first_stage()
    {
        using var temp = new TempFolder();
        var data = SampleData.Data;
        var splits = new DataSplits("Fashion-MNIST", data.Train.Slice(0, 1000), data.Train.Slice(3000, 100), data.Test.Slice(0, 200));
        var runs = new AutoencoderRuns(splits, new ModelStore(temp.Path), TextWriter.Null);
        var firstSettings = new FitSettings(Epochs: 3, LearningRate: 3e-3);
        var untrainedFirst = ReconstructionScores.Evaluate(new LatentAutoencoder(LatentAutoencoderConfig.Course), splits.Test.Images);
        var first = runs.Train("first", new LatentAutoencoder(LatentAutoencoderConfig.Course), firstSettings, LatentVaeObjective.Course);
        Assert.True(first.TestScores.MeanSquaredError < 0.7 * untrainedFirst.MeanSquaredError,
            $"first stage MSE {first.TestScores.MeanSquaredError:F4} vs untrained {untrainedFirst.MeanSquaredError:F4}");

        var config = new LatentDenoiserConfig(Width: 32, Blocks: 2, Embedding: 32);
        var settings = FitSettings.Diffusion(4, batchSize: 50);
        using var codes = LatentCodes.Of(first.Model, splits);
        var run = runs.TrainLatentDiffusion("second", first, codes, config, NoiseSchedule.Course, settings);
        Assert.False(run.Reused);
        // The loss of the trained average against an untrained denoiser's, under the same draws.
        double Loss(LatentDenoiser denoiser)
        {
            using var step = new ConditionalDiffusionStep(denoiser, new LatentDenoiser(config), NoiseSchedule.Course, settings,
                ClassDropout.Course, WeightAverage.Course, NoiseWeighting.Course);
            manual_seed(10);
            return Trainer.Evaluate(step, run.Codes.Validation, run.Codes.ValidationLabels).Loss;
        }
        manual_seed(11);
        var untrained = Loss(new LatentDenoiser(config));
        var trained = Loss(run.Average);
        Assert.True(trained < 0.8 * untrained, $"trained {trained:F4} vs untrained {untrained:F4}");

        Assert.True(runs.TrainLatentDiffusion("second", first, codes, config, NoiseSchedule.Course, settings, reuseSaved: true).Reused);
        var otherFirst = runs.Train("first", new LatentAutoencoder(LatentAutoencoderConfig.Course), firstSettings with { Epochs = 1 }, LatentVaeObjective.Course);
        Assert.Throws<ArgumentException>(() => runs.TrainLatentDiffusion("second", otherFirst, codes, config, NoiseSchedule.Course, settings));
        using var otherCodes = LatentCodes.Of(otherFirst.Model, splits);
        Assert.False(runs.TrainLatentDiffusion("second", otherFirst, otherCodes, config, NoiseSchedule.Course, settings, reuseSaved: true).Reused);
        Assert.Equal(2, Directory.GetFiles(temp.Path, "second.*.weights").Length);
    }

    [Fact]
    public void Latent_training_and_sampling_leak_no_tensors()
    {
        manual_seed(12);
        var (first, denoiser, codes) = Untrained();
        var config = denoiser.Config;
        using var step = new ConditionalDiffusionStep(denoiser, new LatentDenoiser(config), NoiseSchedule.Course, FitSettings.Diffusion(1, 8),
            ClassDropout.Course, WeightAverage.Course, NoiseWeighting.Course);
        var options = new FitSettings(Epochs: 1, BatchSize: 8);
        var sampler = new GuidedSampler(denoiser, first, codes, NoiseSchedule.Course, 2, "t") { Steps = 3, BatchSize = 4 };
        // The same calls twice: the first may create what libtorch caches once; the second must leave nothing behind.
        Trainer.Fit(step, codes.Train, codes.TrainLabels, options, "t", codes.Validation, codes.ValidationLabels, progress: TrainingProgress.Silent);
        sampler.Sample(8, 1).Dispose();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Trainer.Fit(step, codes.Train, codes.TrainLabels, options, "t", codes.Validation, codes.ValidationLabels, progress: TrainingProgress.Silent);
        sampler.Sample(8, 1).Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    // An untrained first stage, a small untrained denoiser and the codes of 80 sample images.
    private static (LatentAutoencoder First, LatentDenoiser Denoiser, LatentCodes Codes) Untrained()
    {
        var data = SampleData.Data;
        var first = new LatentAutoencoder(LatentAutoencoderConfig.Course);
        var splits = new DataSplits("Fashion-MNIST", data.Train.Slice(0, 80), data.Train.Slice(3000, 16), data.Test.Slice(0, 16));
        return (first, new LatentDenoiser(new LatentDenoiserConfig(Width: 32, Blocks: 2, Embedding: 16)), LatentCodes.Of(first, splits));
    }
}
