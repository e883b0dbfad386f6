using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// What one batch does, in training and in evaluation (chapter 2; chapters 4–9 add their own):
/// <see cref="Trainer"/> is the course's one loop and calls it once per batch inside a dispose scope. Steps differ (one model and
/// one optimiser, two players taking turns, a noise-prediction objective); the loop does not.
/// </summary>
public abstract class TrainingStep : IDisposable
{
    /// <summary>Every module the step trains: switched to <c>train()</c> / <c>eval()</c> by the loop and snapshotted by early stopping.</summary>
    public abstract IReadOnlyList<nn.Module> Modules { get; }

    /// <summary>The optimisers the step owns; a learning-rate schedule acts on each.</summary>
    public abstract IReadOnlyList<optim.Optimizer> Optimizers { get; }

    /// <summary>One optimisation step on a batch; returns its loss terms (per-sample means).</summary>
    public abstract LossTerms Train(Tensor inputs, Tensor targets);

    /// <summary>
    /// The loss terms of a batch in evaluation mode. The step decides whether it needs gradients: the default
    /// computes under <c>no_grad</c>; a step whose loss differentiates (a Jacobian penalty) overrides it.
    /// </summary>
    public virtual LossTerms Evaluate(Tensor inputs, Tensor targets)
    {
        using var noGrad = no_grad();
        return Loss(inputs, targets);
    }

    /// <summary>The loss terms of a batch without an optimisation step.</summary>
    protected abstract LossTerms Loss(Tensor inputs, Tensor targets);

    /// <summary>Disposes the optimisers the step owns.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes owned resources.</summary>
    protected virtual void Dispose(bool disposing) { }
}

/// <summary>
/// The default step (chapter 2): one model, one optimiser, one loss — <c>zero_grad</c>, <c>backward</c>,
/// <c>step</c>. With <paramref name="evaluationNeedsGradients"/> the loss keeps autograd on while evaluating
/// (the contractive penalty differentiates the codings with respect to the inputs).
/// </summary>
/// <param name="model">The model the loss runs.</param>
/// <param name="optimizer">Steps the model's parameters; null for a step that only evaluates.</param>
/// <param name="loss">Loss of one batch with named components.</param>
/// <param name="ownsOptimizer">Dispose the optimiser with the step.</param>
/// <param name="evaluationNeedsGradients">Evaluate with autograd enabled.</param>
public sealed class ModelStep(nn.Module model, optim.Optimizer? optimizer, LossFunction loss, bool ownsOptimizer = false,
    bool evaluationNeedsGradients = false) : TrainingStep
{
    /// <summary>
    /// The step of a model trained on an <see cref="Objective"/>: the optimiser <paramref name="settings"/> choose (owned
    /// by the step), and gradients during evaluation exactly when the objective needs them.
    /// </summary>
    public static ModelStep Training(nn.Module<Tensor, Tensor> model, FitSettings settings, Objective objective) =>
        new(model, settings.CreateOptimizer(model.parameters()), objective.For(model), ownsOptimizer: true,
            evaluationNeedsGradients: objective.EvaluationNeedsGradients);

    /// <summary>A step that only evaluates <paramref name="model"/> on <paramref name="objective"/>, with gradients when it needs them.</summary>
    public static ModelStep EvaluationOnly(nn.Module<Tensor, Tensor> model, Objective objective) =>
        new(model, null, objective.For(model), evaluationNeedsGradients: objective.EvaluationNeedsGradients);

    /// <summary>A step that only evaluates <paramref name="model"/> with <paramref name="loss"/>, without gradients (an objective that needs them says so: the overload above).</summary>
    public static ModelStep EvaluationOnly(nn.Module model, LossFunction loss) => new(model, null, loss);

    /// <inheritdoc />
    public override IReadOnlyList<nn.Module> Modules { get; } = [model];

    /// <inheritdoc />
    public override IReadOnlyList<optim.Optimizer> Optimizers { get; } = optimizer is null ? [] : [optimizer];

    /// <inheritdoc />
    public override LossTerms Train(Tensor inputs, Tensor targets)
    {
        if (optimizer is null) throw new InvalidOperationException("This step has no optimiser: it can evaluate but not train.");
        optimizer.zero_grad();
        var terms = loss(inputs, targets);
        terms.Total.backward();
        optimizer.step();
        return terms;
    }

    /// <inheritdoc />
    public override LossTerms Evaluate(Tensor inputs, Tensor targets) =>
        evaluationNeedsGradients ? Loss(inputs, targets) : base.Evaluate(inputs, targets);

    /// <inheritdoc />
    protected override LossTerms Loss(Tensor inputs, Tensor targets) => loss(inputs, targets);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsOptimizer) optimizer?.Dispose();
    }
}
