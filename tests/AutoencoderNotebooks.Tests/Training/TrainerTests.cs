using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

public class TrainerTests
{
    private static (LinearAutoencoder Model, optim.Optimizer Optimizer, LossFunction Loss) LinearSetup(double lr = 0.01)
    {
        manual_seed(7);
        var model = new LinearAutoencoder(new LinearAutoencoderConfig(3, 2));
        var optimizer = optim.Adam(model.parameters(), lr);
        LossFunction loss = (x, y) =>
        {
            var output = model.forward(x);
            return new LossTerms(ReconstructionLoss.MeanSquaredError(output, y),
                new Dictionary<string, Tensor> { ["abs"] = (output - y).abs().mean() });
        };
        return (model, optimizer, loss);
    }

    private static Tensor Data() => AutoencoderNotebooks.Data.SyntheticData.ThreeDimensional(200, 0.1, 42).Points;

    [Fact]
    public void Twenty_steps_reduce_the_loss_and_the_history_records_every_epoch()
    {
        var (model, optimizer, loss) = LinearSetup();
        var x = Data();
        var log = new StringWriter();

        var history = Trainer.Fit(model, optimizer, loss, x, null, new FitSettings(Epochs: 4, BatchSize: 40), "smoke",
            validationInputs: x, progress: new ConsoleProgress(log, "smoke"));

        Assert.Equal(4, history.Epochs.Count);
        Assert.True(history.Last.TrainLoss < history.Epochs[0].TrainLoss);
        Assert.True(history.Last.ValidationLoss < history.Epochs[0].ValidationLoss);
        Assert.Contains("abs", history.Last.Metrics.Keys);
        Assert.Contains("val abs", history.Last.Metrics.Keys);
        Assert.All(history.Epochs, e => Assert.True(e.SamplesPerSecond > 0));
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.All(lines[..4], l => Assert.Contains("samples/s", l));
    }

    [Fact]
    public void Per_sample_average_weights_a_short_last_batch_correctly()
    {
        // A model with no parameters to learn: the epoch loss must equal the loss over the whole set.
        var x = Data();
        var model = nn.Sequential(("identity", nn.Identity()));
        var dummy = nn.Parameter(zeros(1));
        var optimizer = optim.SGD([dummy], 0.0);
        LossFunction loss = (input, target) => LossTerms.Of((input.square().sum(1) + dummy * 0).mean());
        var history = Trainer.Fit(model, optimizer, loss, x, null, new FitSettings(Epochs: 1, BatchSize: 64), "t", progress: TrainingProgress.Silent);
        Assert.Equal(x.square().sum(1).mean().item<float>(), history.Last.TrainLoss, 4);
    }

    [Fact]
    public void Same_seed_same_result()
    {
        double Run()
        {
            var (model, optimizer, loss) = LinearSetup();
            return Trainer.Fit(model, optimizer, loss, Data(), null, new FitSettings(Epochs: 2, BatchSize: 32, Seed: 11), "t", progress: TrainingProgress.Silent).Last.TrainLoss;
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Early_stopping_restores_the_best_weights()
    {
        var (model, optimizer, loss) = LinearSetup(lr: 0.05);
        var x = Data();
        // Validation data the model cannot fit better by training on x: a shifted copy makes validation worsen.
        var validation = x * -3 + 2;
        var history = Trainer.Fit(model, optimizer, loss, x, null,
            new FitSettings(Epochs: 30, BatchSize: 20), "t",
            validationInputs: validation, callbacks: [new EarlyStopping(2)], progress: TrainingProgress.Silent);

        var best = history.Epochs[history.BestEpoch - 1].ValidationLoss!.Value;
        Assert.True(history.StoppedEarly);
        Assert.Equal(best, history.Epochs.Min(e => e.ValidationLoss!.Value));
        Assert.Equal(best, Trainer.Evaluate(model, loss, validation).Loss, 4);
    }

    [Fact]
    public void Evaluation_leaves_no_gradients_and_restores_train_mode()
    {
        var (model, _, loss) = LinearSetup();
        model.train();
        Trainer.Evaluate(model, loss, Data());
        Assert.True(model.training);
        Assert.All(model.parameters(), p => Assert.True(p.grad is null));
    }

    [Fact]
    public void Fifty_training_steps_leak_no_tensors()
    {
        var (model, optimizer, loss) = LinearSetup();
        var x = Data();
        var options = new FitSettings(Epochs: 5, BatchSize: 20); // 10 batches × 5 epochs = 50 steps
        Trainer.Fit(model, optimizer, loss, x, null, options with { Epochs = 1 }, "t", x, progress: TrainingProgress.Silent);

        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Trainer.Fit(model, optimizer, loss, x, null, options, "t", x, progress: TrainingProgress.Silent);
        var after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.Equal(before, after);
    }

    [Fact]
    public void Bad_options_are_rejected_with_the_value()
    {
        var (model, optimizer, loss) = LinearSetup();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(model, optimizer, loss, Data(), null, new FitSettings(Epochs: 0), "t"));
        Assert.Contains("Epochs", error.Message);
        Assert.Throws<ArgumentException>(() => Trainer.Fit(model, optimizer, loss, Data(), null, new FitSettings(Epochs: 1), "t", callbacks: [new EarlyStopping(2)]));
    }
}
