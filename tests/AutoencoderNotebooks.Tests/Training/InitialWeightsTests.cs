using AutoencoderNotebooks.Adversarial;
using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

/// <summary>
/// A model trained through the runner starts from weights drawn from its key's seed, so a chapter's numbers do not
/// depend on what the process's global generator went through before (an earlier chapter trained or loaded).
/// </summary>
public class InitialWeightsTests
{
    private static readonly StackedAutoencoderConfig Small = new([784, 16, 4]);
    private static readonly FitSettings OneEpoch = new(Epochs: 1, BatchSize: 64);

    private static DataSplits Splits()
    {
        var data = SampleData.Data;
        return new DataSplits("Fashion-MNIST", data.Train.Slice(0, 256), data.Train.Slice(3000, 64), data.Test.Slice(0, 128));
    }

    private static Dictionary<string, Tensor> Weights(nn.Module module) =>
        module.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());

    private static bool Same(Dictionary<string, Tensor> a, Dictionary<string, Tensor> b) =>
        a.Keys.Order().SequenceEqual(b.Keys.Order()) && a.All(p => p.Value.equal(b[p.Key]).all().item<bool>());

    // Trains in a fresh store after putting the global generator in the state `before` leaves it.
    private static AutoencoderRun<StackedAutoencoder> TrainAfter(Action before, FitSettings settings)
    {
        using var temp = new TempFolder();
        before();
        return new AutoencoderRuns(Splits(), new ModelStore(temp.Path), TextWriter.Null).Train("small", new StackedAutoencoder(Small), settings);
    }

    [Fact]
    public void A_run_trains_to_the_same_weights_whatever_the_generator_went_through_before()
    {
        var first = TrainAfter(() => manual_seed(1), OneEpoch);
        var second = TrainAfter(() => { manual_seed(2); rand(1000).Dispose(); }, OneEpoch);
        Assert.Equal(first.TestScores, second.TestScores);
        Assert.True(Same(Weights(first.Model), Weights(second.Model)));

        // Another key (here: another learning rate) is another seed, so another start and other weights.
        var other = TrainAfter(() => manual_seed(1), OneEpoch with { LearningRate = 1e-3 });
        Assert.False(Same(Weights(first.Model), Weights(other.Model)));
    }

    [Fact]
    public void The_initial_weights_are_the_ones_the_constructor_draws_under_the_key_seed()
    {
        var key = ModelKey.Of("train", nameof(StackedAutoencoder), Small, OneEpoch);
        manual_seed(key.InitialSeed);
        var expected = Weights(new StackedAutoencoder(Small));

        manual_seed(7);
        var model = new StackedAutoencoder(Small);
        var built = Weights(model);
        Assert.True(CourseModels.Registry.TryInitialise(model, key.InitialSeed));
        Assert.True(Same(expected, Weights(model)));
        Assert.False(Same(built, Weights(model)));
        Assert.InRange(key.InitialSeed, 0, long.MaxValue);
    }

    [Fact]
    public void A_type_outside_the_registry_keeps_the_weights_it_was_built_with_and_the_log_says_so()
    {
        using var temp = new TempFolder();
        manual_seed(3);
        var model = new Unlisted();
        var built = Weights(model);
        Assert.False(CourseModels.Registry.TryInitialise(model, 11));
        Assert.True(Same(built, Weights(model)));

        var log = new StringWriter();
        new AutoencoderRuns(Splits(), new ModelStore(temp.Path), log).Train("unlisted", model, OneEpoch with { StepsPerEpoch = 1 }, Objective.MeanSquaredError);
        Assert.Contains("Unlisted is not in CourseModels.Registry", log.ToString());
    }

    [Fact]
    public void A_GAN_starts_both_players_from_its_key_whatever_ran_before()
    {
        var settings = FitSettings.Gan(1, batchSize: 32, stepsPerEpoch: 2);
        (Dictionary<string, Tensor>, Dictionary<string, Tensor>) TrainAfter(Action before)
        {
            using var temp = new TempFolder();
            before();
            var run = new AutoencoderRuns(Splits(), new ModelStore(temp.Path), TextWriter.Null).TrainGan("g", GanConfig.Dense, settings, snapshotCount: 2);
            return (Weights(run.Generator), Weights(run.Discriminator));
        }
        var (g1, d1) = TrainAfter(() => manual_seed(1));
        var (g2, d2) = TrainAfter(() => { manual_seed(2); rand(1000).Dispose(); });
        Assert.True(Same(g1, g2));
        Assert.True(Same(d1, d2));
    }

    private sealed class Unlisted : nn.Module<Tensor, Tensor>, IConfiguredModel
    {
        private readonly Linear encoder = nn.Linear(784, 4);
        private readonly Linear decoder = nn.Linear(4, 784);

        public Unlisted() : base(nameof(Unlisted)) => RegisterComponents();

        public object Configuration => "unlisted";

        public override Tensor forward(Tensor input) =>
            nn.functional.sigmoid(decoder.forward(encoder.forward(input.flatten(1)))).view(input.shape);
    }
}
