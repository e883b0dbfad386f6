using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>Hidden-layer activations the dense models offer (chapter 2).</summary>
public enum Activation
{
    /// <summary>Scaled exponential linear unit (the book's 2nd edition).</summary>
    Selu,

    /// <summary>Rectified linear unit (the book's 3rd edition).</summary>
    Relu,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>No activation: a linear layer.</summary>
    Identity,
}

/// <summary>Applies an <see cref="Activation"/>. (chapter 2)</summary>
public static class Activations
{
    /// <summary><paramref name="x"/> through <paramref name="activation"/>.</summary>
    public static Tensor Apply(this Activation activation, Tensor x) => activation switch
    {
        Activation.Selu => nn.functional.selu(x),
        Activation.Relu => nn.functional.relu(x),
        Activation.Tanh => x.tanh(),
        Activation.Identity => x,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

    /// <summary>
    /// Runs <paramref name="x"/> through <paramref name="layers"/> in order with <paramref name="activation"/>
    /// after each, except after the last one when <paramref name="activateLast"/> is false.
    /// </summary>
    public static Tensor Through<TLayer>(this Activation activation, IEnumerable<TLayer> layers, Tensor x, bool activateLast = true)
        where TLayer : nn.Module<Tensor, Tensor>
    {
        var list = layers as IReadOnlyList<TLayer> ?? layers.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            x = list[i].call(x);
            if (activateLast || i < list.Count - 1) x = activation.Apply(x);
        }
        return x;
    }
}
