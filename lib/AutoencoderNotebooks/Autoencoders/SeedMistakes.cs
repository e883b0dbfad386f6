using static TorchSharp.torch;

namespace AutoencoderNotebooks.Autoencoders;

/// <summary>
/// The two lines of the course's seed snippet that look like a denoising autoencoder and are not (chapter 4), as code
/// whose effect a notebook can measure. Neither is used to train anything.
/// </summary>
public static class SeedMistakes
{
    /// <summary>The seed's Gaussian-noise line: <c>+</c> where <c>noise_level *</c> was meant.</summary>
    public const string NoiseLine = "X + 1.0 + noise";

    /// <summary>The seed's dropout line: a dense layer where <c>tf.layers.dropout</c> was meant.</summary>
    public const string DropoutLine = "tf.layers.dense(X, dropout_rate, training=training)";

    /// <summary>
    /// <c>X + 1.0 + noise</c> shifts every input by 1. A first layer <c>W x + b</c> absorbs a shift <c>c</c> that is
    /// always there: <c>W (x + c·1) + (b − c·W 1)</c> equals <c>W x + b</c>. This returns a copy of
    /// <paramref name="model"/> whose first layer has that bias, so it computes on <c>x + shift</c> exactly what the
    /// model computes on <c>x</c>: what a network trained on shifted inputs expects. Fed clean images, it shows the
    /// train/test mismatch of a shift that only training sees.
    /// </summary>
    public static DenoisingAutoencoder ExpectingShift(DenoisingAutoencoder model, double shift)
    {
        var copy = new DenoisingAutoencoder(model.Config);
        using var noGrad = no_grad();
        foreach (var (name, value) in copy.state_dict()) value.copy_(model.state_dict()[name]);
        var first = copy.EncoderLayers[0];
        first.bias!.sub_(first.weight!.sum(1) * shift);
        return copy;
    }

    /// <summary>
    /// <c>Dense(0.5)</c> where <c>Dropout(0.5)</c> was meant: in tf.keras 2 the units are truncated to
    /// <c>int(0.5) = 0</c>, a layer of width zero (TF 1's <c>tf.layers.dense</c> rejects the <c>training</c> argument
    /// outright). Here the same layer in TorchSharp, <c>Linear(inputs, (int)units)</c>.
    /// </summary>
    public static nn.Module<Tensor, Tensor> DenseInsteadOfDropout(int inputs, double units) => nn.Linear(inputs, (int)units);
}
