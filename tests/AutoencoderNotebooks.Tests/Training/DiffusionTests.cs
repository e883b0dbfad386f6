using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

public class DiffusionTests
{
    [Theory]
    [InlineData(ScheduleKind.Cosine)]
    [InlineData(ScheduleKind.Linear)]
    public void Alpha_bar_decreases_within_zero_and_one(ScheduleKind kind)
    {
        var alphaBars = new NoiseSchedule(1000, kind).AlphaBars();
        Assert.All(alphaBars, a => Assert.InRange(a, double.Epsilon, 1));
        Assert.All(alphaBars.Zip(alphaBars.Skip(1)), p => Assert.True(p.Second < p.First));
        Assert.True(alphaBars[^1] < 0.01);
    }

    [Fact]
    public void The_closed_form_matches_iterating_the_one_step_process()
    {
        // Iterate x_t = √(1 − β_t) x_{t−1} + √β_t ε_t on many copies of one x₀ and compare the mean and variance
        // with √ᾱ_t x₀ and 1 − ᾱ_t.
        var schedule = new NoiseSchedule(50, ScheduleKind.Cosine);
        var betas = schedule.Betas();
        var alphaBars = schedule.AlphaBars();
        manual_seed(1);
        var x0 = 0.7;
        var x = full(200_000, x0, dtype: ScalarType.Float64);
        foreach (var t in new[] { 0, 9, 29, 49 })
        {
            var start = t switch { 0 => 0, 9 => 1, 29 => 10, _ => 30 };
            for (var s = start; s <= t; s++) x = x * Math.Sqrt(1 - betas[s]) + randn_like(x) * Math.Sqrt(betas[s]);
            Assert.Equal(Math.Sqrt(alphaBars[t]) * x0, x.mean().item<double>(), 2);
            Assert.Equal(1 - alphaBars[t], x.var().item<double>(), 2);
        }
        var direct = NoiseSchedule.Noise(full(3, 2, 2, x0, dtype: ScalarType.Float64), zeros(3, 2, 2, dtype: ScalarType.Float64), tensor(new[] { alphaBars[0], alphaBars[9], alphaBars[49] }));
        Assert.Equal(Math.Sqrt(alphaBars[9]) * x0, direct[1, 0, 0].item<double>(), 10);
    }

    [Fact]
    public void The_time_embedding_has_the_documented_shape_and_tells_steps_apart()
    {
        var embedding = TimeEmbedding.Sinusoidal(tensor(new long[] { 0, 1, 2, 500, 999 }), 64);
        Assert.Equal([5L, 64], embedding.shape);
        Assert.Equal(0, embedding[0, ..32].abs().max().item<float>(), 6); // sin(0)
        Assert.Equal(1, embedding[0, 32..].min().item<float>(), 6);       // cos(0)
        var distance = (Tensor a, Tensor b) => (a - b).norm().item<float>();
        Assert.True(distance(embedding[0], embedding[1]) > 0.1);
        Assert.True(distance(embedding[0], embedding[1]) < distance(embedding[0], embedding[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeEmbedding.Sinusoidal(tensor(new long[] { 1 }), 7));
    }

    [Fact]
    public void Every_group_normalisation_of_the_UNet_starts_as_the_identity_affine_map()
    {
        manual_seed(2);
        var unet = new UNet(UNetConfig.Course);
        var norms = unet.GroupNorms.ToList();
        Assert.Equal(13, norms.Count);
        foreach (var norm in norms)
        {
            Assert.True(norm.weight!.equal(ones_like(norm.weight)).all().item<bool>());
            Assert.True(norm.bias!.equal(zeros_like(norm.bias)).all().item<bool>());
            var channels = norm.weight.shape[0];
            var x = randn(4, channels, 7, 7);
            Assert.True(norm.forward(x).allclose(nn.functional.group_norm(x, 8), atol: 1e-5));
        }
        Assert.False(unet.forward(randn(2, 28, 28), tensor(new long[] { 3, 900 })).isnan().any().item<bool>());
    }

    [Fact]
    public void One_DDIM_step_with_a_perfect_noise_predictor_recovers_the_image()
    {
        // x_t built from a known x₀ and ε; the oracle predicts exactly ε, so x̂₀ = x₀.
        var schedule = NoiseSchedule.Course;
        var alphaBar = schedule.AlphaBars()[600];
        manual_seed(3);
        var x0 = rand(4, 28, 28) * 2 - 1;
        var epsilon = randn(4, 28, 28);
        var xt = NoiseSchedule.Noise(x0, epsilon, full(4, alphaBar));
        var estimate = (xt - epsilon * Math.Sqrt(1 - alphaBar)) / Math.Sqrt(alphaBar);
        Assert.True(estimate.allclose(x0, atol: 1e-4));
    }

    [Fact]
    public void The_sampler_makes_images_of_the_right_shape_and_range_reproducibly()
    {
        manual_seed(4);
        var sampler = new DiffusionSampler(new UNet(UNetConfig.Course), new NoiseSchedule(100, ScheduleKind.Cosine)) { BatchSize = 3 };
        var trajectory = new List<Tensor>();
        var images = sampler.Ddim(5, steps: 4, seed: 1, trajectory: trajectory);
        Assert.Equal([5L, 28, 28], images.shape);
        Assert.True(images.min().item<float>() >= 0 && images.max().item<float>() <= 1);
        Assert.Equal(4, trajectory.Count);
        Assert.True(images.equal(sampler.Ddim(5, steps: 4, seed: 1)).all().item<bool>());
        Assert.Equal([2L, 28, 28], sampler.Ddpm(2, seed: 1).shape);
    }

    [Fact]
    public void The_DDPM_mean_in_posterior_form_is_the_papers_update_and_its_clip_bounds_the_estimate()
    {
        var schedule = NoiseSchedule.Course;
        var (alphaBars, betas) = (schedule.AlphaBars(), schedule.Betas());
        var sampler = new DiffusionSampler(new UNet(UNetConfig.Course), schedule);
        manual_seed(9);
        var x = randn(4, 28, 28, dtype: ScalarType.Float64);
        foreach (var t in new[] { 0, 1, 500, 998, 999 })
        {
            // A noise estimate whose x̂₀ stays inside [−1, 1]: then the clip changes nothing.
            var x0 = rand(4, 28, 28, dtype: ScalarType.Float64) * 1.8 - 0.9;
            var epsilon = (x - x0 * Math.Sqrt(alphaBars[t])) / Math.Sqrt(1 - alphaBars[t]);
            var paper = (x - epsilon * (betas[t] / Math.Sqrt(1 - alphaBars[t]))) / Math.Sqrt(1 - betas[t]);
            Assert.True(sampler.DdpmMean(x, epsilon, t).allclose(paper, rtol: 1e-6, atol: 1e-6), $"step {t}");
            Assert.True(sampler.DdpmMean(x, epsilon, t, clip: false).allclose(paper, rtol: 1e-6, atol: 1e-6), $"step {t}, unclipped");
        }
        // At the last step an estimate 10% off in ε, magnified by 1/√ᾱ ≈ 20,000, stays bounded by the clip.
        var last = schedule.Steps - 1;
        var off = sampler.DdpmMean(x, x * 1.1, last);
        var unclipped = sampler.DdpmMean(x, x * 1.1, last, clip: false);
        Assert.True(off.abs().max().item<double>() <= 1.0001 + x.abs().max().item<double>(), "clipped step left the range it can reach");
        Assert.True(unclipped.abs().max().item<double>() > 10 * off.abs().max().item<double>(), "the unclipped step should show the magnified error");
    }

    [Fact]
    public void The_min_snr_weight_is_one_for_noisy_steps_and_gamma_over_snr_for_clean_ones()
    {
        // ᾱ = 0.5, 0.9, 0.1, 0.99 → SNR = 1, 9, 1/9, 99; with γ = 5: 1, 5/9, 1, 5/99 (by hand).
        var alphaBars = tensor(new[] { 0.5, 0.9, 0.1, 0.99 });
        foreach (var (expected, actual) in new[] { 1, 9, 1 / 9.0, 99 }.Zip(NoiseLosses.SignalToNoise(alphaBars).data<double>().ToArray())) Assert.Equal(expected, actual, 1e-9);
        foreach (var (expected, actual) in new[] { 1, 5 / 9.0, 1, 5 / 99.0 }.Zip(NoiseLosses.MinSnrWeights(alphaBars, 5).data<double>().ToArray())) Assert.Equal(expected, actual, 1e-9);
        Assert.Equal(new[] { 1.0, 1, 1, 1 }, NoiseWeighting.Uniform.Weights(alphaBars).data<double>().ToArray());
        // The course's schedule: the first step's weight is γ/SNR₀, and the noisy half of the steps keeps 1.
        var course = NoiseWeighting.Course.Weights(tensor(NoiseSchedule.Course.AlphaBars())).data<double>().ToArray();
        var a0 = NoiseSchedule.Course.AlphaBars()[0];
        Assert.Equal(5 / (a0 / (1 - a0)), course[0], 1e-12);
        Assert.All(course.Skip(500), w => Assert.Equal(1, w));
    }

    [Fact]
    public void The_weighted_loss_is_the_mean_of_each_images_error_times_its_steps_weight_and_logs_the_plain_error()
    {
        var (predicted, noise) = (tensor(new float[] { 1, 1, 0, 0, 2, 2, 2, 2 }).reshape(2, 2, 2), zeros(2, 2, 2));
        Assert.Equal(new[] { 0.5f, 4f }, NoiseLosses.PerImageError(predicted, noise).data<float>().ToArray());
        // Through the step: with equal weights the loss minimised is the logged MSE; with min-SNR it is not.
        manual_seed(3);
        var images = SampleData.Data.Train.Images.narrow(0, 0, 64);
        var (model, average) = (new UNet(UNetConfig.Course), new UNet(UNetConfig.Course));
        using var uniform = new DiffusionStep(model, average, NoiseSchedule.Course, FitSettings.Diffusion(1, batchSize: 64), weighting: NoiseWeighting.Uniform);
        manual_seed(4);
        var plain = uniform.Evaluate(images, images);
        Assert.Equal(plain.Total.item<float>(), plain.Components["noise mse"].item<float>(), 1e-6f);
        using var weighted = new DiffusionStep(model, average, NoiseSchedule.Course, FitSettings.Diffusion(1, batchSize: 64));
        manual_seed(4);
        var terms = weighted.Evaluate(images, images);
        Assert.Equal(plain.Components["noise mse"].item<float>(), terms.Components["noise mse"].item<float>(), 1e-6f); // same draws, same error
        Assert.True(terms.Total.item<float>() < terms.Components["noise mse"].item<float>(), "min-SNR weights are at most 1, below 1 for the clean steps");
    }

    [Fact]
    public void The_weighting_is_part_of_the_diffusion_models_key()
    {
        using var temp = new TempFolder();
        var data = SampleData.Data;
        var splits = new DataSplits("Fashion-MNIST", data.Train.Slice(0, 128), data.Train.Slice(3000, 16), data.Test.Slice(0, 16));
        var runs = new AutoencoderRuns(splits, new ModelStore(temp.Path), TextWriter.Null);
        var settings = FitSettings.Diffusion(1, batchSize: 64) with { StepsPerEpoch = 1 };
        runs.TrainDiffusion("w", UNetConfig.Course, NoiseSchedule.Course, settings, weighting: NoiseWeighting.Uniform);
        runs.TrainDiffusion("w", UNetConfig.Course, NoiseSchedule.Course, settings);
        Assert.Equal(2, Directory.GetFiles(temp.Path, "w.*.weights").Length);
    }

    [Fact]
    public void Twenty_training_steps_lower_the_noise_prediction_loss_and_move_the_average_slowly()
    {
        manual_seed(5);
        var data = SampleData.Data;
        var images = data.Train.Images.narrow(0, 0, 640);
        var (model, average) = (new UNet(UNetConfig.Course), new UNet(UNetConfig.Course));
        using var step = new DiffusionStep(model, average, NoiseSchedule.Course, FitSettings.Diffusion(1, batchSize: 32));
        Assert.True(average.parameters().First().equal(model.parameters().First()).all().item<bool>());
        var before = Trainer.Evaluate(step, images).Loss;
        var start = average.parameters().First().detach().clone();
        Trainer.Fit(step, images, null, new FitSettings(Epochs: 1, BatchSize: 32), "t", progress: TrainingProgress.Silent);
        Assert.True(Trainer.Evaluate(step, images).Loss < before);
        // The warmed-up decay (1 + n)/(10 + n) stays far below 0.999 for 20 steps: the average follows the weights
        // closely instead of keeping the random start (it would have moved only about 2% of the way with 0.999).
        var moved = (average.parameters().First() - start).norm().item<float>();
        var trained = (model.parameters().First() - start).norm().item<float>();
        Assert.InRange(moved / trained, 0.3, 1.0);
    }

    [Fact]
    public void Diffusion_training_and_sampling_leak_no_tensors()
    {
        manual_seed(6);
        var data = SampleData.Data;
        var images = data.Train.Images.narrow(0, 0, 200);
        var (model, average) = (new UNet(UNetConfig.Course), new UNet(UNetConfig.Course));
        using var step = new DiffusionStep(model, average, NoiseSchedule.Course, FitSettings.Diffusion(1, batchSize: 8));
        var options = new FitSettings(Epochs: 1, BatchSize: 8); // 25 steps
        // The same calls twice: the first may create what libtorch caches once; the second must leave nothing behind.
        var validation = images.narrow(0, 0, 16);
        Trainer.Fit(step, images, null, options, "t", validation, progress: TrainingProgress.Silent);
        var sampler = new DiffusionSampler(average, NoiseSchedule.Course) { BatchSize = 4 };
        sampler.Ddim(8, steps: 3).Dispose();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Trainer.Fit(step, images, null, options, "t", validation, progress: TrainingProgress.Silent);
        sampler.Ddim(8, steps: 3).Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
