using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Benchmark;

/// <summary>
/// Counts the floating-point operations of the matrix products a model runs (performance benchmark): every
/// <c>Linear</c>, <c>Conv2d</c> and <c>ConvTranspose2d</c> inside the watched modules reports, through a forward
/// hook, 2 × (multiply-adds) for the shapes it actually saw. A forward pass under autograd is counted three times
/// (the backward pass costs about twice the forward: gradients for the inputs and for the weights), one under
/// <c>no_grad</c> once. Element-wise work (activations, normalisation, the optimiser) is left out: it is
/// memory-bound and small next to the products. Dispose to remove the hooks.
/// </summary>
public sealed class FlopCounter : IDisposable
{
    private readonly List<Action> removers = [];

    /// <summary>Watches every counted layer inside <paramref name="modules"/>.</summary>
    public FlopCounter(params nn.Module[] modules)
    {
        foreach (var module in modules)
            foreach (var layer in module.named_modules().Select(m => m.module).Prepend(module)) // named_modules() leaves out the module itself
                if (layer is Linear or Conv2d or ConvTranspose2d)
                    {
                    var remover = ((nn.Module<Tensor, Tensor>)layer).register_forward_hook(Count);
                    removers.Add(remover.remove);
                }
    }

    /// <summary>Operations of the forward passes seen so far.</summary>
    public double Forward { get; private set; }

    /// <summary>Operations of the forward passes and their backward passes (3× for passes under autograd).</summary>
    public double Training { get; private set; }

    /// <summary>
    /// Operations of one forward pass per sample (chapter 10 compares two networks with it): <paramref name="forward"/>
    /// runs <paramref name="module"/> on a batch of <paramref name="batch"/> samples in eval mode without gradients.
    /// </summary>
    public static double ForwardPerSample<TModule>(TModule module, int batch, Func<TModule, Tensor> forward) where TModule : nn.Module
    {
        using var counter = new FlopCounter(module);
        using var evaluation = new EvaluationMode(module);
        using var scope = NewDisposeScope();
        forward(module);
        return counter.Forward / batch;
    }

    /// <summary>Forgets what was counted.</summary>
    public void Reset() => (Forward, Training) = (0, 0);

    /// <summary>2 × multiply-adds of one call of <paramref name="layer"/> on <paramref name="input"/> giving <paramref name="output"/>.</summary>
    public static double Operations(nn.Module layer, Tensor input, Tensor output) => layer switch
    {
        // Every output element is a dot product over the input features.
        Linear linear => 2.0 * output.numel() * linear.weight!.shape[1],
        // Every output element sums (input channels / groups) × kernel positions.
        Conv2d conv => 2.0 * output.numel() * conv.weight!.shape[1] * conv.weight.shape[2] * conv.weight.shape[3],
        // Every input element scatters into (output channels / groups) × kernel positions; weight is [in, out/groups, kh, kw].
        ConvTranspose2d conv => 2.0 * input.numel() * conv.weight!.shape[1] * conv.weight.shape[2] * conv.weight.shape[3],
        _ => 0,
    };

    private Tensor Count(nn.Module<Tensor, Tensor> layer, Tensor input, Tensor output)
    {
        var operations = Operations(layer, input, output);
        Forward += operations;
        Training += is_grad_enabled() ? 3 * operations : operations;
        return null!; // TorchSharp keeps the output when a hook returns null
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var remove in removers) remove();
        removers.Clear();
    }
}
