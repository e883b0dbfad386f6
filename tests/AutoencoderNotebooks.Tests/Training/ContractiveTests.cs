using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Contractive;
using AutoencoderNotebooks.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

public class ContractiveTests
{
    private static ContractiveAutoencoder Model(int seed)
    {
        manual_seed(seed);
        return new ContractiveAutoencoder(new ContractiveAutoencoderConfig(Codings: 12, DecoderHidden: 20));
    }

    [Fact]
    public void The_closed_form_and_the_autograd_penalty_agree()
    {
        var model = Model(1);
        model.to(ScalarType.Float64);
        var x = rand(32, 784, dtype: ScalarType.Float64);
        var closed = ContractivePenalty.SigmoidLayer(model.Encode(x), model.CodingWeight).item<double>();
        var viaAutograd = ContractivePenalty.Autograd(model.Encode, x, createGraph: false).item<double>();
        Assert.True(Math.Abs(closed - viaAutograd) <= 1e-5 * closed, $"closed form {closed}, autograd {viaAutograd}");
    }

    [Fact]
    public void The_autograd_penalty_can_be_trained_on_and_gives_the_closed_form_gradient()
    {
        var model = Model(2);
        model.to(ScalarType.Float64);
        var x = rand(16, 784, dtype: ScalarType.Float64);
        ContractivePenalty.Autograd(model.Encode, x, createGraph: true).backward(); // double backward
        var viaAutograd = model.CodingWeight.grad!.clone();
        model.zero_grad();
        ContractivePenalty.SigmoidLayer(model.Encode(x), model.CodingWeight).backward();
        Assert.True(viaAutograd.allclose(model.CodingWeight.grad!, rtol: 1e-6, atol: 1e-12));
    }

    [Fact]
    public void The_autograd_penalty_asks_for_gradients_by_name()
    {
        var model = Model(3);
        using var noGrad = no_grad();
        var error = Assert.Throws<InvalidOperationException>(() => ContractivePenalty.Autograd(model.Encode, rand(4, 784), createGraph: false));
        Assert.Contains("no_grad", error.Message);
    }

    [Fact]
    public void The_loop_evaluates_the_autograd_objective_in_eval_mode_with_gradients_and_matches_the_closed_form()
    {
        var model = Model(4);
        var x = rand(64, 28, 28);
        var closed = new ContractiveObjective(0.5);
        var viaAutograd = closed with { UseAutograd = true };
        Assert.True(viaAutograd.EvaluationNeedsGradients);
        Assert.False(closed.EvaluationNeedsGradients);

        using var autogradStep = ModelStep.EvaluationOnly(model, viaAutograd);
        var (autogradLoss, autogradParts) = Trainer.Evaluate(autogradStep, x);
        var (closedLoss, closedParts) = Trainer.Evaluate(model, closed.For(model), x);
        Assert.Equal(closedLoss, autogradLoss, 5);
        Assert.Equal(closedParts["contractive"], autogradParts["contractive"], 5);
        Assert.All(model.parameters(), p => Assert.True(p.grad is null));
    }

    [Fact]
    public void Training_with_the_autograd_penalty_lowers_the_loss()
    {
        var model = Model(5);
        var x = rand(320, 28, 28);
        var objective = new ContractiveObjective(0.05, UseAutograd: true);
        using var step = new ModelStep(model, optim.Adam(model.parameters(), 3e-3), objective.For(model), ownsOptimizer: true, evaluationNeedsGradients: true);
        var before = Trainer.Evaluate(step, x).Loss;
        Trainer.Fit(step, x, null, new FitSettings(Epochs: 1, BatchSize: 16), "t", progress: TrainingProgress.Silent); // 20 steps
        Assert.True(Trainer.Evaluate(step, x).Loss < before - 0.01);
    }

    [Fact]
    public void Sensitivity_is_the_slope_of_a_linear_map_and_zero_for_a_constant_one()
    {
        // A linear "encoder" z = 2x moves exactly twice as far as its input.
        var linear = new LinearAutoencoder(new LinearAutoencoderConfig(Inputs: 4, Codings: 4));
        using (no_grad())
        {
            linear.parameters().First().copy_(eye(4) * 2);
            linear.parameters().Skip(1).First().zero_();
        }
        var x = rand(100, 4);
        Assert.Equal(2.0, CodeSensitivity.At(linear, x, 0.05), 4);
        using (no_grad()) linear.parameters().First().zero_();
        Assert.Equal(0.0, CodeSensitivity.At(linear, x, 0.05), 6);
    }

    [Fact]
    public void The_spread_of_the_codings_scales_with_the_encoder_so_relative_sensitivity_does_not()
    {
        // z = c·x: the spread is c·√(Σ Var xᵢ) and the sensitivity c, so their ratio does not depend on c.
        var linear = new LinearAutoencoder(new LinearAutoencoderConfig(Inputs: 4, Codings: 4));
        var x = rand(500, 4);
        var inputSpread = x.var(0).sum().sqrt().item<float>();
        foreach (var c in new[] { 0.5, 3.0 })
        {
            using (no_grad())
            {
                linear.parameters().First().copy_(eye(4) * c);
                linear.parameters().Skip(1).First().zero_();
            }
            Assert.Equal(c * inputSpread, CodeSensitivity.Spread(linear, x), 4);
            Assert.Equal(1.0 / inputSpread, CodeSensitivity.At(linear, x, 0.05) / CodeSensitivity.Spread(linear, x), 4);
        }
    }
}
