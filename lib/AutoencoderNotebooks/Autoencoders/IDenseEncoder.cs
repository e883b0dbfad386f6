namespace AutoencoderNotebooks.Autoencoders;

/// <summary>
/// A dense autoencoder whose encoder is a stack of linear layers with one hidden activation (chapter 2):
/// <see cref="StackedAutoencoder"/> and <see cref="TiedAutoencoder"/>. A classifier can start from it.
/// </summary>
public interface IDenseEncoder
{
    /// <summary>Layer sizes and hidden activation.</summary>
    StackedAutoencoderConfig Config { get; }

    /// <summary>The encoder's dense layers, input side first.</summary>
    IReadOnlyList<TorchSharp.Modules.Linear> EncoderLayers { get; }
}
