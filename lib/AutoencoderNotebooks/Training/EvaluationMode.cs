using static TorchSharp.torch;

namespace AutoencoderNotebooks.Training;

/// <summary>
/// Evaluation without side effects (chapter 2): switches a model to <c>eval()</c> and turns gradients off
/// until disposed, then restores the model's previous mode.
/// </summary>
public sealed class EvaluationMode : IDisposable
{
    private readonly nn.Module model;
    private readonly bool wasTraining;
    private readonly IDisposable noGrad;

    /// <summary>Enters evaluation mode for <paramref name="model"/>.</summary>
    public EvaluationMode(nn.Module model)
    {
        this.model = model;
        wasTraining = model.training;
        model.eval();
        noGrad = no_grad();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        noGrad.Dispose();
        model.train(wasTraining);
    }
}
