using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>Moving image batches between [N, 28, 28] and [N, 784] (chapter 2).</summary>
internal static class ImageShapes
{
    public static Tensor Flatten(Tensor images) => images.reshape(images.shape[0], -1);

    public static Tensor Unflatten(Tensor flat, long[] like) => flat.reshape(like);
}
