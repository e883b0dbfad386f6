using AutoencoderNotebooks.Adversarial;
using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Diffusion;
using AutoencoderNotebooks.Evaluation;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

/// <summary>Pretrained mode: the shipped weights load, are checked, and match what they were exported with.</summary>
public class PretrainedWeightsTests
{
    /// <summary>
    /// How far a shipped model's score on the bundled sample's test split may move from the score it was exported
    /// with: the same float16 file, loaded the same way, differs only by the order of floating-point sums (another
    /// CPU or thread count), far below the fourth digit.
    /// </summary>
    private const double Tolerance = 1e-4;

    [Fact]
    public void Pretrained_is_a_run_mode_that_uses_the_full_settings()
    {
        Assert.Equal(RunMode.Pretrained, RunModes.Parse(" Pretrained "));
        var session = new CourseSession(RunMode.Pretrained, 42, 2, "");
        Assert.False(session.Quick);
        Assert.Equal(12, session.Pick(12, 6));
        Assert.Contains("'pretrained'", Assert.Throws<ArgumentException>(() => RunModes.Parse("fast")).Message);
    }

    [Fact]
    public void A_model_is_rebuilt_from_its_key_with_the_same_type_and_configuration()
    {
        var data = new { Name = "Fashion-MNIST", Train = 55000 };
        var stacked = SavedModels.Create(ModelKey.Of("train", nameof(StackedAutoencoder), StackedAutoencoderConfig.Book with { Hidden = Activation.Relu },
            new FitSettings(12), Objective.BinaryCrossEntropy, data).Description);
        Assert.Equal(StackedAutoencoderConfig.Book with { Hidden = Activation.Relu }, Assert.IsType<StackedAutoencoder>(stacked).Config, new ConfigComparer());
        var gan = SavedModels.Create(ModelKey.Of("gan", GanConfig.RadfordDcgan, FitSettings.Gan(20), GanObjective.Standard, data).Description);
        Assert.Equal(GanConfig.RadfordDcgan, Assert.IsType<GanGenerator>(gan).Config);
        var unet = SavedModels.Create(ModelKey.Of("diffusion", UNetConfig.Course, NoiseSchedule.Course, FitSettings.Diffusion(10), WeightAverage.Course, data).Description);
        Assert.Equal(UNetConfig.Course.Widths, Assert.IsType<UNet>(unet).Config.Widths);
        var classifier = SavedModels.Create(ModelKey.Of("classifier", nameof(FashionClassifier), FashionClassifierConfig.Course, new FitSettings(8), data).Description);
        Assert.IsType<FashionClassifier>(classifier);
    }

    private sealed class ConfigComparer : IEqualityComparer<StackedAutoencoderConfig>
    {
        public bool Equals(StackedAutoencoderConfig? x, StackedAutoencoderConfig? y) =>
            x!.Sizes.SequenceEqual(y!.Sizes) && x.Hidden == y.Hidden && x.Output == y.Output;

        public int GetHashCode(StackedAutoencoderConfig obj) => 0;
    }

    private static (TempFolder Source, string Key, StackedAutoencoder Model) SavedSmallModel()
    {
        var source = new TempFolder();
        manual_seed(3);
        var model = new StackedAutoencoder(new StackedAutoencoderConfig([784, 16, 4]));
        var key = ModelKey.Of("train", nameof(StackedAutoencoder), model.Config, new FitSettings(1), Objective.BinaryCrossEntropy, "test");
        new ModelStore(source.Path).Save(model, new SavedTraining("small", key.Hash, key.Description, 1, 0.5, []));
        return (source, key.Hash, model);
    }

    [Fact]
    public void Exported_weights_load_in_float16_precision_and_a_corrupt_or_unknown_file_is_trained_instead()
    {
        var (source, key, original) = SavedSmallModel();
        using var _ = source;
        using var target = new TempFolder();
        using var sample = Datasets.Load(RunMode.Quick);
        File.WriteAllText(target.File("stale.weights"), "from an older export");
        var manifest = new PretrainedWeights(target.Path).Export(source.Path, sample.Test, log: TextWriter.Null);

        var entry = Assert.Single(manifest.Files);
        Assert.Equal("float16", entry.Precision);
        Assert.False(File.Exists(target.File("stale.weights")));
        Assert.True(File.Exists(target.File("README.md")));
        Assert.Equal(PretrainedWeights.Sha256Of(target.File(entry.Weights)), entry.Sha256);

        var loaded = new StackedAutoencoder(original.Config);
        var log = new StringWriter();
        Assert.NotNull(new PretrainedWeights(target.Path).TryLoad(loaded, "small", key, log));
        var expected = original.parameters().First().to(ScalarType.Float16).to(ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, loaded.parameters().First().dtype);
        Assert.True(loaded.parameters().First().eq(expected).all().item<bool>());
        Assert.Equal(entry.Score, SavedModels.Score(loaded, sample.Test).Value, 6);

        // Through a store in pretrained mode: nothing in its own folder, so the shipped file is used.
        using var own = new TempFolder();
        var store = new ModelStore(own.Path, new PretrainedWeights(target.Path));
        Assert.True(store.ReusesEverything);
        Assert.NotNull(store.TryLoad(new StackedAutoencoder(original.Config), "small", key, TextWriter.Null));

        // Another key: not shipped, said in one line.
        log = new StringWriter();
        Assert.Null(new PretrainedWeights(target.Path).TryLoad(new StackedAutoencoder(original.Config), "small", "0123456789abcdef", log));
        Assert.Contains("no pretrained weights", log.ToString());

        // One flipped byte: the checksum catches it, the model is left for training.
        var bytes = File.ReadAllBytes(target.File(entry.Weights));
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(target.File(entry.Weights), bytes);
        log = new StringWriter();
        Assert.Null(new PretrainedWeights(target.Path).TryLoad(new StackedAutoencoder(original.Config), "small", key, log));
        Assert.Contains("is corrupt (SHA-256", log.ToString());
        Assert.Single(log.ToString().TrimEnd().Split('\n'));

        File.Delete(target.File(entry.Weights));
        log = new StringWriter();
        Assert.Null(new PretrainedWeights(target.Path).TryLoad(new StackedAutoencoder(original.Config), "small", key, log));
        Assert.Contains("missing", log.ToString());
    }

    [Fact]
    public void Every_shipped_file_loads_and_scores_what_it_was_exported_with_on_the_bundled_sample()
    {
        var shipped = PretrainedWeights.Course();
        Assert.NotEmpty(shipped.Manifest.Files);
        using var sample = Datasets.Load(RunMode.Quick);
        foreach (var entry in shipped.Manifest.Files)
        {
            var record = System.Text.Json.JsonSerializer.Deserialize<SavedTraining>(File.ReadAllText(Path.Combine(shipped.Folder, entry.Record)))!;
            var model = SavedModels.Create(record.Description);
            var log = new StringWriter();
            Assert.True(shipped.TryLoad(model, record.Name, record.Key, log) is not null, $"{entry.Weights}: {log}");
            var (name, score) = SavedModels.Score(model, sample.Test);
            Assert.Equal(entry.ScoreName, name);
            Assert.True(Math.Abs(score - entry.Score) <= Tolerance, $"{entry.Weights}: {name} {score:G6}, exported with {entry.Score:G6}");
        }
        // The whole course's weights stay small enough for the repository.
        Assert.True(shipped.Manifest.Files.Sum(f => f.Bytes) < 20_000_000, $"{shipped.Manifest.Files.Sum(f => f.Bytes) / 1e6:F1} MB of weights");
    }
}
