using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Diffusion;
using AutoencoderNotebooks.Evaluation;
using AutoencoderNotebooks.LatentDiffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

/// <summary>
/// Generators' scores remembered in the model store (chapters 8–10): computed once per identity, read back by a later
/// chapter, shipped with the pretrained weights and checked there like them.
/// </summary>
public class RememberedScoresTests
{
    private const string Model = "0123456789abcdef";

    private sealed record Value(double Number);

    [Fact]
    public void A_value_is_computed_once_per_identity_and_a_corrupt_file_is_said_and_computed_again()
    {
        using var temp = new TempFolder();
        var store = new ModelStore(temp.Path);
        var computed = 0;
        Value Compute() => new(++computed);
        Assert.Equal(1, store.Recall($"x key:{Model}", Compute).Number);
        Assert.Equal(1, store.Recall($"x key:{Model}", Compute).Number);
        Assert.Equal(2, store.Recall($"y key:{Model}", Compute).Number);
        var file = Path.Combine(store.ScoresFolder, SavedScore.FileName($"x key:{Model}"));
        Assert.True(File.Exists(file));

        File.WriteAllText(file, "<<<<<<< HEAD");
        var log = new StringWriter();
        Assert.Equal(3, store.Recall($"x key:{Model}", Compute, log).Number);
        Assert.Contains(file, log.ToString());
        Assert.Single(log.ToString().TrimEnd().Split('\n'));
        Assert.Equal(3, store.Recall($"x key:{Model}", Compute).Number); // rewritten
        Assert.Equal([Model], new SavedScore($"a key:{Model} and something", default).ModelKeys);
    }

    // Counts its draws; its identity names a model.
    private sealed class CountingGenerator(string name, string? identity) : IImageGenerator
    {
        public int Draws { get; private set; }

        public string Name => name;

        public string? Identity => identity;

        public Tensor Sample(int count, int seed)
        {
            Draws++;
            using var generator = new TorchSharp.torch.Generator((ulong)seed);
            return rand(count, 28, 28, generator: generator);
        }
    }

    private static GeneratorYardstick Yardstick(IScoreMemory? memory)
    {
        manual_seed(5);
        return GeneratorYardstick.Of(new FashionClassifier(FashionClassifierConfig.Course), SampleData.Data.Test.Slice(0, 100), 100, Model, memory);
    }

    private sealed class StoreMemory(ModelStore store) : IScoreMemory
    {
        public T Recall<T>(string identity, Func<T> compute) where T : class => store.Recall(identity, compute, TextWriter.Null);
    }

    [Fact]
    public void The_yardstick_remembers_a_score_under_its_own_and_the_generators_identity()
    {
        using var temp = new TempFolder();
        var yardstick = Yardstick(new StoreMemory(new ModelStore(temp.Path)));
        var generator = new CountingGenerator("first name", $"test generator key:{Model}");
        var score = yardstick.Score(generator, coverageCount: 50);
        Assert.Equal(Yardstick(null).Score(generator, coverageCount: 50), score); // what it remembers is what it computes
        Assert.Equal(2, generator.Draws);

        var renamed = new CountingGenerator("second name", $"test generator key:{Model}");
        Assert.Equal(score with { Generator = "second name" }, yardstick.Score(renamed, coverageCount: 50));
        Assert.Equal(0, renamed.Draws);
        yardstick.Score(renamed, seed: 7, coverageCount: 50); // another seed is another value
        Assert.Equal(1, renamed.Draws);
        var anonymous = new CountingGenerator("no model", null);
        yardstick.Score(anonymous, coverageCount: 50);
        yardstick.Score(anonymous, coverageCount: 50);
        Assert.Equal(2, anonymous.Draws);
        // Another yardstick (no classifier key): nothing remembered.
        var unkeyed = GeneratorYardstick.Of(yardstick.Classifier, SampleData.Data.Test.Slice(0, 100), 100, memory: new StoreMemory(new ModelStore(temp.Path)));
        Assert.Null(unkeyed.Identity);
        unkeyed.Score(renamed, coverageCount: 50);
        Assert.Equal(2, renamed.Draws);
    }

    [Fact]
    public void A_guidance_sweep_row_is_remembered_with_the_time_it_was_measured_with()
    {
        using var temp = new TempFolder();
        var yardstick = Yardstick(new StoreMemory(new ModelStore(temp.Path)));
        var data = SampleData.Data;
        var first = new LatentAutoencoder(LatentAutoencoderConfig.Course);
        var splits = new AutoencoderNotebooks.Data.DataSplits("Fashion-MNIST", data.Train.Slice(0, 40), data.Train.Slice(3000, 10), data.Test.Slice(0, 10));
        using var codes = LatentCodes.Of(first, splits);
        var denoiser = new LatentDenoiser(new LatentDenoiserConfig(Width: 16, Blocks: 1, Embedding: 16));
        var sampler = new GuidedSampler(denoiser, first, codes, NoiseSchedule.Course, 0, "t") { Steps = 2, BatchSize = 10, ModelKey = Model };
        var rows = GuidanceSweep.Run(sampler, yardstick, [0, 2], count: 20);
        var again = GuidanceSweep.Run(sampler, yardstick, [0, 2], count: 20);
        Assert.Equal(rows, again);
        Assert.Equal(rows.Select(r => r.Seconds), again.Select(r => r.Seconds)); // read back, not measured again
        var unkeyed = GuidanceSweep.Run(new GuidedSampler(denoiser, first, codes, NoiseSchedule.Course, 0, "t") { Steps = 2, BatchSize = 10 }, yardstick, [2], count: 20);
        Assert.Equal(rows[1].Agreement, unkeyed[0].Agreement);
    }

    [Fact]
    public void A_guided_samplers_identity_survives_pretrained_modes_float16_weights_but_not_another_setting()
    {
        var data = SampleData.Data;
        var splits = new AutoencoderNotebooks.Data.DataSplits("Fashion-MNIST", data.Train.Slice(0, 40), data.Train.Slice(3000, 10), data.Test.Slice(0, 10));
        manual_seed(8);
        var first = new LatentAutoencoder(LatentAutoencoderConfig.Course);
        using var codes = LatentCodes.Of(first, splits);
        first.to(ScalarType.Float16).to(ScalarType.Float32); // what pretrained mode loads
        using var roundedCodes = LatentCodes.Of(first, splits);
        Assert.NotEqual(codes.Limit, roundedCodes.Limit);
        var denoiser = new LatentDenoiser(new LatentDenoiserConfig(Width: 16, Blocks: 1, Embedding: 16));
        GuidedSampler Sampler(LatentCodes c) => new(denoiser, first, c, NoiseSchedule.Course, 2, "t") { ModelKey = Model };
        Assert.Equal(Sampler(codes).Identity, Sampler(roundedCodes).Identity);
        Assert.NotEqual(Sampler(codes).Identity, Sampler(codes).WithGuidance(3).Identity);
        Assert.NotEqual(Sampler(codes).Identity, new GuidedSampler(denoiser, first, codes, NoiseSchedule.Course, 2, "t") { ModelKey = Model, Clip = 1.5 }.Identity);
        Assert.NotEqual(Sampler(codes).Identity, new GuidedSampler(denoiser, first, codes, NoiseSchedule.Course, 2, "t") { ModelKey = Model, Steps = 10 }.Identity);
    }

    [Fact]
    public void Pretrained_mode_reads_the_shipped_scores_of_exported_models_checked_by_hash_and_keeps_none_of_its_own()
    {
        using var source = new TempFolder();
        manual_seed(3);
        var model = new StackedAutoencoder(new StackedAutoencoderConfig([784, 16, 4]));
        var key = ModelKey.Of("train", nameof(StackedAutoencoder), model.Config, new FitSettings(1), Objective.BinaryCrossEntropy, "test");
        var full = new ModelStore(source.Path);
        full.Save(model, new SavedTraining("small", key.Hash, key.Description, 1, 0.5, []));
        full.Recall($"score of key:{key.Hash}", () => new Value(1));
        full.Recall($"score of key:{key.Hash} and key:{Model}", () => new Value(2)); // a model not in the store: stays behind

        using var target = new TempFolder();
        var manifest = new PretrainedWeights(target.Path).Export(source.Path, SampleData.Data.Test, log: TextWriter.Null);
        var shippedScore = Assert.Single(manifest.Scores!);
        Assert.Equal(SavedScore.FileName($"score of key:{key.Hash}"), shippedScore.File);
        Assert.Equal(PretrainedWeights.Sha256Of(target.File(shippedScore.File)), shippedScore.Sha256);

        using var own = new TempFolder();
        var pretrained = new ModelStore(own.Path, new PretrainedWeights(target.Path));
        Assert.Equal(1, pretrained.Recall($"score of key:{key.Hash}", () => new Value(-1)).Number);
        Assert.Equal(-2, pretrained.Recall($"score of key:{key.Hash} and key:{Model}", () => new Value(-2)).Number);
        Assert.False(Directory.Exists(pretrained.ScoresFolder), "pretrained mode keeps no scores of its own");

        File.AppendAllText(target.File(shippedScore.File), " ");
        var log = new StringWriter();
        Assert.Equal(-1, new ModelStore(own.Path, new PretrainedWeights(target.Path)).Recall($"score of key:{key.Hash}", () => new Value(-1), log).Number);
        Assert.Contains("is corrupt (SHA-256", log.ToString());

        // A re-export that finds no scores removes the ones the previous manifest listed.
        Directory.Delete(full.ScoresFolder, recursive: true);
        Assert.Empty(new PretrainedWeights(target.Path).Export(source.Path, SampleData.Data.Test, log: TextWriter.Null).Scores!);
        Assert.False(File.Exists(target.File(shippedScore.File)));
    }
}
