using AutoencoderNotebooks.Adversarial;
using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Diffusion;
using AutoencoderNotebooks.Evaluation;
using TorchSharp;
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
    public void A_model_is_rebuilt_from_its_checkpoint_with_the_same_type_and_configuration()
    {
        var relu = StackedAutoencoderConfig.Book with { Hidden = Activation.Relu };
        var stacked = Rebuilt(new StackedAutoencoder(relu));
        Assert.Equal(relu, Assert.IsType<StackedAutoencoder>(stacked).Config, new ConfigComparer());
        // Same configuration type, another model type: the record's type decides.
        Assert.IsType<TiedAutoencoder>(Rebuilt(new TiedAutoencoder(relu)));
        Assert.Equal(GanConfig.RadfordDcgan, Assert.IsType<GanGenerator>(Rebuilt(new GanGenerator(GanConfig.RadfordDcgan))).Config);
        Assert.IsType<GanDiscriminator>(Rebuilt(new GanDiscriminator(GanConfig.RadfordDcgan)));
        Assert.Equal(UNetConfig.Course.Widths, Assert.IsType<UNet>(Rebuilt(new UNet(UNetConfig.Course))).Config.Widths);
        Assert.IsType<FashionClassifier>(Rebuilt(new FashionClassifier(FashionClassifierConfig.Course)));
        var denoising = Assert.IsType<DenoisingAutoencoder>(Rebuilt(new DenoisingAutoencoder(DenoisingAutoencoderConfig.BookDropout)));
        Assert.Equal(DenoisingAutoencoderConfig.BookDropout.Corruption, denoising.Config.Corruption);
    }

    // Through the record file, as a checkpoint is read back.
    private static nn.Module Rebuilt(nn.Module model)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new SavedTraining("m", "k", "", 0, 0, []) { Model = SavedModel.Of(model) });
        return CourseModels.Registry.Create(System.Text.Json.JsonSerializer.Deserialize<SavedTraining>(json)!.Model!);
    }

    private sealed class ConfigComparer : IEqualityComparer<StackedAutoencoderConfig>
    {
        public bool Equals(StackedAutoencoderConfig? x, StackedAutoencoderConfig? y) =>
            x!.Sizes.SequenceEqual(y!.Sizes) && x.Hidden == y.Hidden && x.Output == y.Output;

        public int GetHashCode(StackedAutoencoderConfig obj) => 0;
    }

    [Fact]
    public void Every_configured_model_type_of_the_library_is_registered_and_scored()
    {
        var configured = typeof(IConfiguredModel).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IConfiguredModel).IsAssignableFrom(t)).Select(t => t.Name).Order().ToList();
        Assert.Equal(configured, CourseModels.Registry.ModelTypes.Order().ToList());
        var sample = SampleData.Data;
        var score = CourseModels.Registry.Score(new StackedAutoencoder(new StackedAutoencoderConfig([784, 16, 4])), sample.Test);
        Assert.Equal("reconstruction MSE", score.Name);
        Assert.InRange(score.Value, 0.0, 1.0);
    }

    [Fact]
    public void A_checkpoint_that_cannot_be_rebuilt_says_why()
    {
        var saved = SavedModel.Of(new ConvAutoencoder(ConvAutoencoderConfig.Book));
        var unknown = Assert.Throws<InvalidDataException>(() => CourseModels.Registry.Create(saved with { ModelType = "WaveletAutoencoder" }));
        Assert.Contains("'WaveletAutoencoder'", unknown.Message);
        Assert.Contains("ConvAutoencoder", unknown.Message);
        var otherConfig = Assert.Throws<InvalidDataException>(() => CourseModels.Registry.Create(saved with { ConfigurationType = nameof(StackedAutoencoderConfig) }));
        Assert.Contains("built from a ConvAutoencoderConfig", otherConfig.Message);
        var unreadable = Assert.Throws<InvalidDataException>(() => CourseModels.Registry.Create(
            saved with { Configuration = System.Text.Json.JsonDocument.Parse("""{"Channels":"many"}""").RootElement }));
        Assert.Contains("cannot be read", unreadable.Message);
        Assert.Throws<ArgumentException>(() => SavedModel.Of(nn.Linear(2, 2)));
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
        var sample = SampleData.Data;
        // An older export's files (listed in its manifest) go; a file the export did not write stays.
        File.WriteAllText(target.File("stale.weights"), "from an older export");
        File.WriteAllText(target.File("stale.json"), "{}");
        File.WriteAllText(target.File("NOTES.md"), "an instructor's notes");
        File.WriteAllText(target.File(PretrainedWeights.ManifestName), System.Text.Json.JsonSerializer.Serialize(
            new PretrainedManifest("old", [new PretrainedFile("stale.weights", "stale.json", "00", 1, "float16", "", 0, "00")])));
        var manifest = new PretrainedWeights(target.Path).Export(source.Path, sample.Test, log: TextWriter.Null);

        var entry = Assert.Single(manifest.Files);
        Assert.Equal("float16", entry.Precision);
        Assert.False(File.Exists(target.File("stale.weights")));
        Assert.False(File.Exists(target.File("stale.json")));
        Assert.True(File.Exists(target.File("NOTES.md")));
        Assert.True(File.Exists(target.File("README.md")));
        Assert.Equal(PretrainedWeights.Sha256Of(target.File(entry.Weights)), entry.Sha256);
        Assert.Equal(PretrainedWeights.Sha256Of(target.File(entry.Record)), entry.RecordSha256);

        var loaded = new StackedAutoencoder(original.Config);
        var log = new StringWriter();
        Assert.NotNull(new PretrainedWeights(target.Path).TryLoad(loaded, "small", key, log));
        var expected = original.parameters().First().to(ScalarType.Float16).to(ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, loaded.parameters().First().dtype);
        Assert.True(loaded.parameters().First().eq(expected).all().item<bool>());
        Assert.Equal(entry.Score, CourseModels.Registry.Score(loaded, sample.Test).Value, 6);

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
    public void An_altered_record_or_a_broken_manifest_is_said_in_one_line_and_the_models_are_trained()
    {
        var (source, key, original) = SavedSmallModel();
        using var _ = source;
        using var target = new TempFolder();
        var entry = Assert.Single(new PretrainedWeights(target.Path).Export(source.Path, SampleData.Data.Test, log: TextWriter.Null).Files);

        File.AppendAllText(target.File(entry.Record), " ");
        var log = new StringWriter();
        Assert.Null(new PretrainedWeights(target.Path).TryLoad(new StackedAutoencoder(original.Config), "small", key, log));
        Assert.Contains($"{target.File(entry.Record)} is corrupt", log.ToString());

        // A merge conflict in the manifest: one line for the whole run, naming the file, and no exception.
        var manifestPath = target.File(PretrainedWeights.ManifestName);
        File.WriteAllText(manifestPath, "<<<<<<< HEAD\n" + File.ReadAllText(manifestPath));
        var shipped = new PretrainedWeights(target.Path);
        log = new StringWriter();
        Assert.Null(shipped.TryLoad(new StackedAutoencoder(original.Config), "small", key, log));
        Assert.Null(shipped.TryLoad(new StackedAutoencoder(original.Config), "other", key, log));
        var line = Assert.Single(log.ToString().TrimEnd().Split('\n'));
        Assert.Contains($"{manifestPath} is not valid JSON (line 1)", line);
        Assert.Contains("trains every model instead", line);
    }

    [Fact]
    public void The_export_refuses_a_record_whose_name_is_not_a_plain_file_name()
    {
        var (source, _, _) = SavedSmallModel();
        using var __ = source;
        var record = Directory.GetFiles(source.Path, "*.json").Single();
        var escaping = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(record))!;
        escaping["Name"] = "../escape";
        File.WriteAllText(record, escaping.ToJsonString());
        using var target = new TempFolder();
        var refused = Assert.Throws<InvalidDataException>(() => new PretrainedWeights(target.Path).Export(source.Path, SampleData.Data.Test, log: TextWriter.Null));
        Assert.Contains("not a plain file name", refused.Message);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(target.Path)!, "escape.*"));
    }

    [Fact]
    public void A_shipped_file_that_fails_to_load_leaves_the_model_exactly_as_it_was_in_float32()
    {
        var (source, key, original) = SavedSmallModel();
        using var _ = source;
        using var target = new TempFolder();
        var manifest = new PretrainedWeights(target.Path).Export(source.Path, SampleData.Data.Test, log: TextWriter.Null);
        var entry = Assert.Single(manifest.Files);
        // A weights file of a wider model, with a checksum that matches it: it passes the manifest, then fails to load.
        var wider = new StackedAutoencoder(original.Config with { Sizes = [784, 16, 8] });
        wider.to(ScalarType.Float16);
        wider.save(target.File(entry.Weights));
        var altered = manifest with { Files = [entry with { Sha256 = PretrainedWeights.Sha256Of(target.File(entry.Weights)), Bytes = new FileInfo(target.File(entry.Weights)).Length }] };
        File.WriteAllText(target.File(PretrainedWeights.ManifestName), System.Text.Json.JsonSerializer.Serialize(altered));

        manual_seed(8);
        var fresh = new StackedAutoencoder(original.Config);
        var before = fresh.parameters().Select(p => p.detach().clone()).ToList();
        var log = new StringWriter();
        Assert.Null(new PretrainedWeights(target.Path).TryLoad(fresh, "small", key, log));
        Assert.Contains("cannot be used", log.ToString());
        Assert.All(fresh.parameters().Zip(before), pair =>
        {
            Assert.Equal(ScalarType.Float32, pair.First.dtype);
            Assert.True(pair.First.eq(pair.Second).all().item<bool>(), "a value changed (float16 rounding or a half-load)");
        });
    }

    [Fact]
    public void Every_shipped_file_loads_and_scores_what_it_was_exported_with_on_the_bundled_sample()
    {
        var shipped = PretrainedWeights.Course();
        Assert.NotEmpty(shipped.Manifest.Files);
        var sample = SampleData.Data;
        foreach (var entry in shipped.Manifest.Files)
        {
            var record = System.Text.Json.JsonSerializer.Deserialize<SavedTraining>(File.ReadAllText(Path.Combine(shipped.Folder, entry.Record)))!;
            Assert.True(record.Model is not null, $"{entry.Record} names no model type: re-export with `{PretrainedWeights.ExportCommand}`");
            var model = CourseModels.Registry.Create(record.Model);
            var log = new StringWriter();
            Assert.True(shipped.TryLoad(model, record.Name, record.Key, log) is not null, $"{entry.Weights}: {log}");
            var (name, score) = CourseModels.Registry.Score(model, sample.Test);
            Assert.Equal(entry.ScoreName, name);
            Assert.True(Math.Abs(score - entry.Score) <= Tolerance, $"{entry.Weights}: {name} {score:G6}, exported with {entry.Score:G6}");
        }
        // The whole course's weights stay small enough for the repository.
        Assert.True(shipped.Manifest.Files.Sum(f => f.Bytes) < 20_000_000, $"{shipped.Manifest.Files.Sum(f => f.Bytes) / 1e6:F1} MB of weights");
    }
}
