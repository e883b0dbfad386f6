using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// Pixel intensities in [0, 1] (the data set, the decoders' sigmoid) and the signed range [−1, 1] that tanh
/// generators and diffusion models work in (chapters 8 and 9; Radford et al., 2016, scale images to tanh's range).
/// </summary>
public static class PixelRange
{
    /// <summary>[0, 1] → [−1, 1]: 2x − 1.</summary>
    public static Tensor ToSigned(Tensor images) => images * 2 - 1;

    /// <summary>[−1, 1] → [0, 1]: (x + 1) / 2.</summary>
    public static Tensor ToUnit(Tensor signed) => (signed + 1) / 2;
}
