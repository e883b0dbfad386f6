using static TorchSharp.torch;

namespace AutoencoderNotebooks.Checkpoints;

/// <summary>
/// A copy of a module's parameters and buffers, to put back when a load fails half-way (chapter 2; teaching):
/// TorchSharp's <c>Module.load</c> writes each tensor into the live module as it reads it, and pretrained mode changes
/// the module's precision before loading, so without this a failed load would leave a changed model to train.
/// </summary>
internal sealed class ModuleState : IDisposable
{
    private readonly nn.Module module;
    private readonly Dictionary<string, Tensor> saved;

    private ModuleState(nn.Module module)
    {
        this.module = module;
        using var noGrad = no_grad();
        saved = module.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    /// <summary>A copy of <paramref name="module"/>'s state as it is now.</summary>
    public static ModuleState Of(nn.Module module) => new(module);

    /// <summary>Puts the copied values back (call it once the module has its original precision again).</summary>
    public void Restore()
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in module.state_dict()) value.copy_(saved[name]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in saved.Values) tensor.Dispose();
    }
}
