using AutoencoderNotebooks.Adversarial;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

public class GanTests
{
    public static TheoryData<string> Architectures() => [nameof(GanArchitecture.Dense), nameof(GanArchitecture.BookDcgan), nameof(GanArchitecture.RadfordDcgan)];

    private static GanConfig Config(string name) => Enum.Parse<GanArchitecture>(name) switch
    {
        GanArchitecture.Dense => GanConfig.Dense,
        GanArchitecture.BookDcgan => GanConfig.BookDcgan,
        _ => GanConfig.RadfordDcgan,
    };

    private static Dictionary<string, Tensor> Copy(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    private static bool Unchanged(nn.Module module, Dictionary<string, Tensor> before) =>
        module.named_parameters().All(p => p.parameter.detach().equal(before[p.name]).all().item<bool>());

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Generator_makes_images_in_the_tanh_range_and_the_discriminator_one_logit_each(string name)
    {
        manual_seed(1);
        var config = Config(name);
        var generator = new GanGenerator(config);
        var discriminator = new GanDiscriminator(config);
        var fakes = generator.forward(randn(5, config.Codings));
        Assert.Equal([5L, 28, 28], fakes.shape);
        Assert.True(fakes.abs().max().item<float>() <= 1);
        Assert.Equal([5L], discriminator.forward(fakes).shape);
        var run = new GanRun("g", generator, discriminator, [], [], 0, false);
        var images = run.Sample(7, seed: 3);
        Assert.Equal([7L, 28, 28], images.shape);
        Assert.True(images.min().item<float>() >= 0 && images.max().item<float>() <= 1);
        Assert.True(images.equal(run.Sample(7, seed: 3)).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Each_phase_changes_only_its_own_player(string name)
    {
        manual_seed(2);
        var config = Config(name);
        var generator = new GanGenerator(config);
        var discriminator = new GanDiscriminator(config);
        using var step = new AdversarialStep(generator, discriminator, FitSettings.Gan(1));
        var real = SampleData.Images(16);

        var (generatorBefore, discriminatorBefore) = (Copy(generator), Copy(discriminator));
        step.DiscriminatorPhase(real);
        Assert.True(Unchanged(generator, generatorBefore));
        Assert.False(Unchanged(discriminator, discriminatorBefore));

        (generatorBefore, discriminatorBefore) = (Copy(generator), Copy(discriminator));
        step.GeneratorPhase(16);
        Assert.False(Unchanged(generator, generatorBefore));
        Assert.True(Unchanged(discriminator, discriminatorBefore));
    }

    [Fact]
    public void Label_smoothing_changes_only_the_real_targets()
    {
        var realLogits = tensor(new float[] { 2f, -1f });
        var fakeLogits = tensor(new float[] { -3f, 0.5f });
        double Bce(float logit, double target) => -(target * Math.Log(1 / (1 + Math.Exp(-logit))) + (1 - target) * Math.Log(1 - 1 / (1 + Math.Exp(-logit))));
        var expected = (Bce(2, 0.9) + Bce(-1, 0.9)) / 2 + (Bce(-3, 0) + Bce(0.5f, 0)) / 2;
        Assert.Equal(expected, GanLosses.Discriminator(realLogits, fakeLogits, 0.9).item<float>(), 5);
        Assert.Equal((Bce(-3, 1) + Bce(0.5f, 1)) / 2, GanLosses.Generator(fakeLogits).item<float>(), 5);
    }

    [Fact]
    public void Fifty_adversarial_steps_and_an_evaluation_leak_no_tensors()
    {
        manual_seed(3);
        var generator = new GanGenerator(GanConfig.RadfordDcgan);
        var discriminator = new GanDiscriminator(GanConfig.RadfordDcgan);
        using var step = new AdversarialStep(generator, discriminator, FitSettings.Gan(1, batchSize: 8));
        var images = SampleData.Images(400);
        var options = new FitSettings(Epochs: 1, BatchSize: 8); // 50 steps
        // The same call twice: the first may create what libtorch caches once; the second must leave nothing behind.
        var validation = images.narrow(0, 0, 40);
        Trainer.Fit(step, images, null, options, "t", validation, progress: TrainingProgress.Silent);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Trainer.Fit(step, images, null, options, "t", validation, progress: TrainingProgress.Silent);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void The_Frechet_distance_is_zero_for_equal_sets_symmetric_exact_for_a_shift_and_grows_with_noise()
    {
        manual_seed(4);
        var a = randn(500, 6) * tensor(new float[] { 1, 2, 0.5f, 1, 3, 1 });
        Assert.Equal(0, FrechetDistance.Between(a, a), 6);
        // Shifting every vector by c leaves the covariance alone: the distance is exactly ‖c‖².
        var shift = tensor(new float[] { 1, -2, 0, 0.5f, 0, 0 });
        Assert.Equal(5.25, FrechetDistance.Between(a, a + shift), 4);
        var b = randn(400, 6);
        Assert.Equal(FrechetDistance.Between(a, b), FrechetDistance.Between(b, a), 6);
        var distances = new[] { 0.1f, 0.5f, 1f, 2f }.Select(s => FrechetDistance.Between(a, a + randn(500, 6) * s)).ToList();
        Assert.Equal(distances.Order(), distances);
        Assert.Throws<ArgumentException>(() => FrechetDistance.Between(a, randn(10, 5)));
    }

    [Fact]
    public void The_yardstick_classifier_learns_and_scores_real_images_near_the_floor_and_noise_at_the_ceiling()
    {
        using var temp = new TempFolder();
        var data = SampleData.Data;
        var splits = data.Splits(500);
        var runner = new AutoencoderRuns(splits, new ModelStore(temp.Path), TextWriter.Null);
        manual_seed(5);
        var yardstick = runner.Yardstick(new FitSettings(Epochs: 3, LearningRate: 1e-3));
        Assert.True(yardstick.TestAccuracy >= 0.7, $"accuracy {yardstick.TestAccuracy:P1} (chance: 10%)");
        var references = yardstick.References(splits.Train.Images);
        var (real, noise) = (references[0], references[1]);
        Assert.Equal(10, real.ClassesFound);
        Assert.True(real.FrechetDistance < 0.1 * noise.FrechetDistance, $"real {real.FrechetDistance:F1}, noise {noise.FrechetDistance:F1}");
        Assert.Equal(1.0, yardstick.Coverage(splits.Test.Images.narrow(0, 0, 100)).Sum(), 6);
    }

    [Fact]
    public void A_reused_GAN_gets_both_players_back_and_one_labelled_frame_of_its_final_images()
    {
        using var temp = new TempFolder();
        var data = SampleData.Data;
        var splits = new DataSplits("Fashion-MNIST", data.Train.Slice(0, 256), data.Train.Slice(3000, 64), data.Test.Slice(0, 64));
        var runs = new AutoencoderRuns(splits, new ModelStore(temp.Path), new StringWriter());
        var settings = FitSettings.Gan(2, batchSize: 32, stepsPerEpoch: 3);
        manual_seed(4);
        var trained = runs.TrainGan("g", GanConfig.Dense, settings, snapshotCount: 4);
        Assert.False(trained.Reused);
        Assert.Equal(["1", "2"], trained.SnapshotFrames().Select(f => f.Label));

        var reused = runs.TrainGan("g", GanConfig.Dense, settings, reuseSaved: true, snapshotCount: 4);
        Assert.True(reused.Reused);
        Assert.True(Unchanged(reused.Generator, Copy(trained.Generator)));
        Assert.True(Unchanged(reused.Discriminator, Copy(trained.Discriminator)));
        var frame = Assert.Single(reused.SnapshotFrames());
        Assert.Equal("2 (saved)", frame.Label);
        Assert.True(frame.Images.allclose(trained.Snapshots[^1], atol: 1e-5));
    }
}
