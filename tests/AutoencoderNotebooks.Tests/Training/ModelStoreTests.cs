using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

/// <summary>Saved models are found by a key derived from everything that made them, and only then.</summary>
public class ModelStoreTests
{
    private static readonly StackedAutoencoderConfig Small = new([784, 16, 4]);
    private static readonly FitSettings OneEpoch = new(Epochs: 1, BatchSize: 64);

    private static DataSplits Splits(string dataset = "Fashion-MNIST", int offset = 0)
    {
        var data = SampleData.Data;
        return new DataSplits(dataset, data.Train.Slice(offset, 256), data.Train.Slice(3000, 64), data.Test.Slice(offset, 128));
    }

    private static AutoencoderRuns Runs(TempFolder temp, DataSplits splits, StringWriter? log = null) =>
        new(splits, new ModelStore(temp.Path), log ?? new StringWriter());

    [Fact]
    public void The_key_follows_every_config_field_and_array_contents_not_identity()
    {
        string Key(object config) => ModelKey.Of("train", "M", config, OneEpoch).Hash;
        Assert.Equal(Key(new StackedAutoencoderConfig([784, 100, 30])), Key(new StackedAutoencoderConfig([784, 100, 30])));
        var variants = new object[]
        {
            StackedAutoencoderConfig.Book,
            StackedAutoencoderConfig.Book with { Sizes = [784, 100, 31] },
            StackedAutoencoderConfig.Book with { Hidden = Activation.Relu },
            StackedAutoencoderConfig.Book with { Output = OutputKind.Linear },
            ConvAutoencoderConfig.Book,
            ConvAutoencoderConfig.Book with { StridedConvolutions = true },
            ConvAutoencoderConfig.Book with { Channels = [16, 32, 63] },
            RecurrentAutoencoderConfig.Book,
            RecurrentAutoencoderConfig.Book with { Hidden = 64 },
            RecurrentAutoencoderConfig.Book with { Codings = 31 },
            RecurrentAutoencoderConfig.Book with { RowPositions = true },
            RecurrentAutoencoderConfig.Book with { CodingsToOutput = true },
            RecurrentAutoencoderConfig.Book with { RowHidden = 100 },
        };
        Assert.Equal(variants.Length, variants.Select(Key).Distinct().Count());
        Assert.NotEqual(ModelKey.Of(Small, OneEpoch).Hash, ModelKey.Of(Small, OneEpoch with { CosineDecay = true }).Hash);
        Assert.NotEqual(ModelKey.Of(Small, Objective.BinaryCrossEntropy).Hash, ModelKey.Of(Small, Objective.MeanSquaredError).Hash);
        Assert.Contains("\"Relu\"", ModelKey.Of(StackedAutoencoderConfig.Book with { Hidden = Activation.Relu }).Description);
    }

    [Fact]
    public void A_saved_model_is_reused_only_with_the_same_config_and_data()
    {
        using var temp = new TempFolder();
        var splits = Splits();
        manual_seed(1);
        var first = Runs(temp, splits).Train("small", new StackedAutoencoder(Small), OneEpoch);
        Assert.False(first.Reused);

        var log = new StringWriter();
        var again = Runs(temp, splits, log).Train("small", new StackedAutoencoder(Small), OneEpoch, reuseSaved: true);
        Assert.True(again.Reused);
        Assert.Contains("reusing", log.ToString());
        Assert.Equal(first.TestScores, again.TestScores);

        Assert.False(Runs(temp, splits).Train("small", new StackedAutoencoder(Small with { Hidden = Activation.Relu }), OneEpoch, reuseSaved: true).Reused);
        Assert.False(Runs(temp, splits).Train("small", new TiedAutoencoder(Small), OneEpoch, reuseSaved: true).Reused);
        Assert.False(Runs(temp, splits).Train("small", new StackedAutoencoder(Small), OneEpoch with { LearningRate = 1e-3 }, reuseSaved: true).Reused);
        Assert.False(Runs(temp, splits).Train("small", new StackedAutoencoder(Small), OneEpoch, Objective.MeanSquaredError, reuseSaved: true).Reused);
        // Same images, same sizes, another data set's name: a Fashion-MNIST model is not an MNIST model.
        Assert.False(Runs(temp, Splits("MNIST")).Train("small", new StackedAutoencoder(Small), OneEpoch, reuseSaved: true).Reused);
        Assert.False(Runs(temp, splits.Take(200, 64, 128)).Train("small", new StackedAutoencoder(Small), OneEpoch, reuseSaved: true).Reused);
    }

    [Fact]
    public void A_reused_model_is_scored_again_on_the_current_test_set()
    {
        using var temp = new TempFolder();
        manual_seed(2);
        Runs(temp, Splits()).Train("small", new StackedAutoencoder(Small), OneEpoch);

        // Other test images of the same count: the key matches, so the model is reused, and scored on these images.
        var other = Splits(offset: 500);
        var reused = Runs(temp, other with { Train = Splits().Train, Validation = Splits().Validation })
            .Train("small", new StackedAutoencoder(Small), OneEpoch, reuseSaved: true);
        Assert.True(reused.Reused);
        Assert.Equal(ReconstructionScores.Evaluate(reused.Model, other.Test.Images), reused.TestScores);
    }

    [Fact]
    public void A_corrupt_saved_model_is_reported_in_one_line_and_trained_again()
    {
        using var temp = new TempFolder();
        manual_seed(3);
        Runs(temp, Splits()).Train("small", new StackedAutoencoder(Small), OneEpoch);
        var weights = Assert.Single(Directory.GetFiles(temp.Path, "small.*.weights"));
        File.WriteAllBytes(weights, [1, 2, 3]);

        var log = new StringWriter();
        var run = Runs(temp, Splits(), log).Train("small", new StackedAutoencoder(Small), OneEpoch, reuseSaved: true);
        Assert.False(run.Reused);
        var line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(weights, line);
        Assert.Contains("training it again", line);
        Assert.True(new FileInfo(weights).Length > 3);
    }

    [Fact]
    public void A_record_names_its_model_and_a_load_it_cannot_satisfy_says_why_and_leaves_the_model_as_it_was()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.Path);
        manual_seed(3);
        var saved = new StackedAutoencoder(Small);
        store.Save(saved, new SavedTraining("small", "0123456789abcdef", "", 1, 0.5, []));
        var record = System.Text.Json.JsonSerializer.Deserialize<SavedTraining>(File.ReadAllText(temp.File(ModelStore.RecordFile("small", "0123456789abcdef"))))!;
        Assert.Equal(nameof(StackedAutoencoder), record.Model!.ModelType);
        Assert.Equal(nameof(StackedAutoencoderConfig), record.Model.ConfigurationType);
        Assert.Null(record.Model.Mismatch(new StackedAutoencoder(Small)));

        // Another model type under the same file name: refused before a byte is read.
        var log = new StringWriter();
        Assert.Null(store.TryLoad(new TiedAutoencoder(Small), "small", "0123456789abcdef", log));
        Assert.Contains("it holds a StackedAutoencoder, not a TiedAutoencoder", log.ToString());

        // Weights of a wider model under a matching record: the first layer fits, the second does not.
        var wider = new StackedAutoencoder(Small with { Sizes = [.. Small.Sizes[..^1], Small.Sizes[^1] * 2] });
        wider.save(temp.File(ModelStore.WeightsFile("small", "0123456789abcdef")));
        var fresh = new StackedAutoencoder(Small);
        var before = fresh.parameters().Select(p => p.detach().clone()).ToList();
        log = new StringWriter();
        Assert.Null(store.TryLoad(fresh, "small", "0123456789abcdef", log));
        Assert.Contains("cannot be used", log.ToString());
        Assert.All(fresh.parameters().Zip(before), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>()));
        Assert.False(fresh.parameters().First().eq(wider.parameters().First()).all().item<bool>());
    }

    [Fact]
    public void Tests_save_models_in_their_own_temporary_artifacts_folder()
    {
        var store = ModelStore.For(Core.RunMode.Quick);
        Assert.StartsWith(Path.GetFullPath(TorchSetup.Artifacts), store.Folder);
        Assert.DoesNotContain(Path.Combine(Platform.RepositoryPaths.Root(), "artifacts"), store.Folder);
    }

    [Fact]
    public void Greedy_runs_have_their_own_key_and_are_reused()
    {
        using var temp = new TempFolder();
        manual_seed(4);
        var (run, phases) = Runs(temp, Splits()).Greedy("greedy", Small, OneEpoch, OneEpoch);
        Assert.Equal(2, phases.Count);
        Assert.False(run.Reused);
        Assert.False(Runs(temp, Splits()).Train("greedy", new StackedAutoencoder(Small), OneEpoch, reuseSaved: true).Reused);
        var (again, none) = Runs(temp, Splits()).Greedy("greedy", Small, OneEpoch, OneEpoch, reuseSaved: true);
        Assert.True(again.Reused);
        Assert.Empty(none);
    }
}
