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

/// <summary>
/// A dense autoencoder whose decoder mirrors its encoder (chapters 2 and 4): <see cref="StackedAutoencoder"/> and
/// <see cref="DenoisingAutoencoder"/>. In eval mode it is the two stacks of linear layers and nothing else, so a page can
/// run it from its weights (chapter 4's draw-and-denoise explorer).
/// </summary>
public interface IDenseAutoencoder : IDenseEncoder
{
    /// <summary>The decoder's dense layers, codings side first: the hidden activation after each but the last, then <see cref="StackedAutoencoderConfig.Output"/>.</summary>
    IReadOnlyList<TorchSharp.Modules.Linear> DecoderLayers { get; }
}
