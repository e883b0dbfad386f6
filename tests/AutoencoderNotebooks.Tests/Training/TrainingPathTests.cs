using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

/// <summary>The one loop with other steps: evaluation through the step, two players, named early stopping, settings.</summary>
public class TrainingPathTests
{
    private static Tensor Data() => AutoencoderNotebooks.Data.SyntheticData.ThreeDimensional(200, 0.1, 42).Points;

    [Fact]
    public void The_default_step_evaluates_without_gradients_in_eval_mode()
    {
        manual_seed(1);
        var model = new LinearAutoencoder(new LinearAutoencoderConfig());
        bool? gradients = null, training = null;
        LossFunction loss = (x, y) =>
        {
            gradients = is_grad_enabled();
            training = model.training;
            return LossTerms.Of(ReconstructionLoss.MeanSquaredError(model.forward(x), y));
        };
        model.train();
        Trainer.Evaluate(model, loss, Data());
        Assert.False(gradients);
        Assert.False(training);
        Assert.True(model.training);
    }

    [Fact]
    public void A_step_whose_loss_differentiates_evaluates_with_gradients_but_in_eval_mode()
    {
        manual_seed(2);
        var model = new LinearAutoencoder(new LinearAutoencoderConfig());
        var x = Data();
        // A loss that needs autograd: the squared norm of d(codings)/d(inputs) summed over the batch.
        LossFunction loss = (inputs, targets) =>
        {
            var input = inputs.detach().requires_grad_(true);
            var codings = model.Encode(input);
            var gradient = autograd.grad([codings.sum()], [input], create_graph: model.training)[0];
            return LossTerms.Of(gradient.square().sum(1).mean());
        };
        using var optimizer = optim.Adam(model.parameters(), 0.01);
        using var step = new ModelStep(model, optimizer, loss, evaluationNeedsGradients: true);

        var (value, _) = Trainer.Evaluate(step, x);

        // Linear codings Wx + b: every input's gradient is the vector of W's column sums.
        float expected;
        using (no_grad()) expected = (model.Encode(eye(3)) - model.Encode(zeros(1, 3))).sum(1).square().sum().item<float>();
        Assert.Equal(expected, value, 4);
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        var history = Trainer.Fit(step, x, null, new FitSettings(Epochs: 2, BatchSize: 50), "t", validationInputs: x, progress: TrainingProgress.Silent);
        Assert.NotNull(history.Last.ValidationLoss);
    }

    [Fact]
    public void Two_players_take_turns_through_the_same_loop_and_are_both_switched_to_eval_for_validation()
    {
        manual_seed(3);
        var step = new TwoPlayerStep();
        var x = Data();
        var history = Trainer.Fit(step, x, null, new FitSettings(Epochs: 3, BatchSize: 50), "t", validationInputs: x, progress: TrainingProgress.Silent);

        Assert.Equal(3 * 4, step.TrainCalls);
        Assert.All(step.EvaluationModes, m => Assert.Equal((false, false), m));
        Assert.Contains("first", history.Last.Metrics.Keys);
        Assert.Contains("val second", history.Last.Metrics.Keys);
        Assert.True(step.First.training && step.Second.training);
        Assert.True(history.Last.Metrics["first"] < history.Epochs[0].Metrics["first"]);
    }

    [Fact]
    public void Early_stopping_watches_the_named_metric()
    {
        manual_seed(4);
        var model = new LinearAutoencoder(new LinearAutoencoderConfig());
        var x = Data();
        LossFunction loss = (inputs, targets) =>
        {
            var output = model.forward(inputs);
            // The loss improves while "drift" (the mean output) moves away from the start: stopping on it ends early.
            return new LossTerms(ReconstructionLoss.MeanSquaredError(output, targets),
                new Dictionary<string, Tensor> { ["drift"] = -(output - targets).abs().mean() });
        };
        using var optimizer = optim.Adam(model.parameters(), 0.05);
        var history = Trainer.Fit(model, optimizer, loss, x, null,
            new FitSettings(Epochs: 30, BatchSize: 20), "t", validationInputs: x, callbacks: [new EarlyStopping(2, "val drift")], progress: TrainingProgress.Silent);
        Assert.True(history.StoppedEarly);
        Assert.Equal(history.Epochs.Min(e => e.Metrics["val drift"]), history.Epochs[history.BestEpoch - 1].Metrics["val drift"]);

        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, optimizer, loss, x, null,
            new FitSettings(Epochs: 2), "t", validationInputs: x, callbacks: [new EarlyStopping(1, "val typo")], progress: TrainingProgress.Silent));
        Assert.Contains("val typo", error.Message);
        Assert.Contains("val drift", error.Message);
    }

    [Fact]
    public void Early_stopping_leaks_no_tensors()
    {
        manual_seed(5);
        var model = new LinearAutoencoder(new LinearAutoencoderConfig());
        var x = Data();
        var validation = x * -3 + 2; // validation worsens as training proceeds: snapshots, then a restore
        LossFunction loss = (inputs, targets) => LossTerms.Of(ReconstructionLoss.MeanSquaredError(model.forward(inputs), targets));
        using var optimizer = optim.Adam(model.parameters(), 0.05);
        var settings = new FitSettings(Epochs: 10, BatchSize: 20);
        Trainer.Fit(model, optimizer, loss, x, null, settings, "t", validation, callbacks: [new EarlyStopping(3)], progress: TrainingProgress.Silent);

        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var history = Trainer.Fit(model, optimizer, loss, x, null, settings, "t", validation, callbacks: [new EarlyStopping(3, MinDelta: -1)], progress: TrainingProgress.Silent);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.True(history.Epochs.Count >= 2); // MinDelta −1: every epoch is a new best, so every epoch snapshots
    }

    [Fact]
    public void Unset_optional_settings_stay_out_of_a_models_key_so_older_models_keep_their_names()
    {
        var plain = ModelKey.Of(new FitSettings(Epochs: 7));
        Assert.DoesNotContain("StepsPerEpoch", plain.Description);
        Assert.DoesNotContain("EvaluationBatchSize", plain.Description);
        var stepped = ModelKey.Of(new FitSettings(Epochs: 7, StepsPerEpoch: 3));
        Assert.Contains("\"StepsPerEpoch\":3", stepped.Description);
        Assert.NotEqual(plain.Hash, stepped.Hash);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam, typeof(Adam))]
    [InlineData(OptimizerKind.AdamW, typeof(AdamW))]
    [InlineData(OptimizerKind.Sgd, typeof(SGD))]
    [InlineData(OptimizerKind.NAdam, typeof(NAdam))]
    public void Settings_make_the_optimiser_they_name(OptimizerKind kind, Type expected)
    {
        var model = new LinearAutoencoder(new LinearAutoencoderConfig());
        using var optimizer = new FitSettings(1, Optimizer: kind, LearningRate: 0.125).CreateOptimizer(model.parameters());
        Assert.IsType(expected, optimizer);
        Assert.Equal(0.125, optimizer.ParamGroups.Single().LearningRate);
    }

    [Fact]
    public void Settings_describe_themselves_as_a_chapter_prints_them()
    {
        var full = new AutoencoderNotebooks.Chapters.CourseSession(RunMode.Full, 42, 2, "");
        Assert.Equal("NAdam, learning rate 0.002, 25 epochs at batch 128", AutoencoderNotebooks.Chapters.CourseSettings.VariationalMse(full).Describe());
        Assert.Equal("Adam, learning rate 0.008 decayed to 0 along a cosine, 10 epochs at batch 128", AutoencoderNotebooks.Chapters.CourseSettings.Recurrent(full).Describe());
    }

    [Fact]
    public void NAdams_first_step_matches_a_hand_computation()
    {
        // Dozat (2016) as PyTorch schedules it: μ_t = β₁(1 − ½·0.96^(0.004 t)). After one step m = (1 − β₁)g and
        // √(v / (1 − β₂)) = |g|, so the update is −lr·sign(g)·(1 + μ₂(1 − β₁) / (1 − μ₁μ₂)), whatever |g|.
        var weight = new Parameter(tensor(new[] { 1.0, -2.0 }, dtype: ScalarType.Float64));
        using var optimizer = new FitSettings(1, Optimizer: OptimizerKind.NAdam, LearningRate: 0.1).CreateOptimizer([weight]);
        (weight * tensor(new[] { 3.0, -0.5 }, dtype: ScalarType.Float64)).sum().backward();
        optimizer.step();
        double beta1 = 0.9, mu1 = beta1 * (1 - 0.5 * Math.Pow(0.96, 0.004)), mu2 = beta1 * (1 - 0.5 * Math.Pow(0.96, 0.008));
        var size = 0.1 * (1 + mu2 * (1 - beta1) / (1 - mu1 * mu2));
        var after = weight.data<double>().ToArray();
        Assert.Equal(1.0 - size, after[0], 6);
        Assert.Equal(-2.0 + size, after[1], 6);
    }

    [Fact]
    public void Cosine_decay_acts_on_every_optimiser_of_the_step()
    {
        var step = new TwoPlayerStep();
        Trainer.Fit(step, Data(), null, new FitSettings(Epochs: 2, BatchSize: 50, CosineDecay: true), "t", progress: TrainingProgress.Silent);
        Assert.All(step.Optimizers, o => Assert.True(o.ParamGroups.Single().LearningRate < 1e-6));
    }

    /// <summary>Two linear models, each with its own optimiser, trained in turn on every batch (a GAN's shape).</summary>
    private sealed class TwoPlayerStep : TrainingStep
    {
        public TwoPlayerStep()
        {
            Modules = [First, Second];
            Optimizers = [optim.SGD(First.parameters(), 0.05), optim.SGD(Second.parameters(), 0.05)];
        }

        public Linear First { get; } = nn.Linear(3, 3);

        public Linear Second { get; } = nn.Linear(3, 3);

        public int TrainCalls { get; private set; }

        public List<(bool, bool)> EvaluationModes { get; } = [];

        public override IReadOnlyList<nn.Module> Modules { get; }

        public override IReadOnlyList<optim.Optimizer> Optimizers { get; }

        public override LossTerms Train(Tensor inputs, Tensor targets)
        {
            TrainCalls++;
            Optimizers[0].zero_grad();
            var first = ReconstructionLoss.MeanSquaredError(First.forward(inputs), targets);
            first.backward();
            Optimizers[0].step();
            Optimizers[1].zero_grad();
            var second = ReconstructionLoss.MeanSquaredError(Second.forward(inputs), targets);
            second.backward();
            Optimizers[1].step();
            return Terms(first, second);
        }

        public override LossTerms Evaluate(Tensor inputs, Tensor targets)
        {
            EvaluationModes.Add((First.training, Second.training));
            return base.Evaluate(inputs, targets);
        }

        protected override LossTerms Loss(Tensor inputs, Tensor targets) =>
            Terms(ReconstructionLoss.MeanSquaredError(First.forward(inputs), targets), ReconstructionLoss.MeanSquaredError(Second.forward(inputs), targets));

        private static LossTerms Terms(Tensor first, Tensor second) =>
            new(first.detach() + second.detach(), new Dictionary<string, Tensor> { ["first"] = first.detach(), ["second"] = second.detach() });

        protected override void Dispose(bool disposing)
        {
            if (disposing) foreach (var o in Optimizers) o.Dispose();
        }
    }
}
