using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// Where a batch of feature maps keeps its channels in memory (chapters 3 and 8). PyTorch stores [N, C, H, W]
/// with each channel's pixels together; "channels last" stores each pixel's channels together — the same tensor
/// with other strides, on which every operation gives the same values up to rounding. Two CPU kernels care:
/// libtorch's max pooling is vectorised only for channels-last maps, and oneDNN convolves channels-last maps in
/// place where it converts the usual layout to a blocked one and back around every convolution. Measured on the
/// yardstick classifier's training step (2 cores, batch 128): 2,781–2,887 → 3,894–4,342 images/s with AVX-512 and
/// 2,183–2,244 → 3,211–3,226 with oneDNN capped at AVX2; in the usual layout a quarter of the step was the scalar
/// max-pooling loop and a fifth oneDNN's conversions. (Not for the diffusion UNet: libtorch's channels-last group
/// norm is slower than the conversions it saves.)
/// </summary>
public static class MemoryLayout
{
    /// <summary>
    /// <paramref name="maps"/> [N, C, H, W] stored channels last (PyTorch's <c>contiguous(memory_format=torch.channels_last)</c>,
    /// which TorchSharp 0.107.0 cannot ask for by name). Operations on the result keep the layout; reshaping or
    /// flattening it copies back into the usual order, so a dense layer after it sees the same numbers.
    /// </summary>
    public static Tensor ChannelsLast(Tensor maps)
    {
        if (maps.dim() != 4) throw new ArgumentException($"Expected feature maps [N, C, H, W]; got shape [{string.Join(", ", maps.shape)}].", nameof(maps));
        if (maps.shape[1] != 1) return maps.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        // One channel: both layouts hold the same bytes, and PyTorch reads the usual strides as the usual layout, so
        // the channels-last strides are set explicitly; a convolution of such a batch writes channels-last maps.
        // (as_strided counts from the storage's start, so a batch narrowed out of a larger tensor passes its offset.)
        var contiguous = maps.contiguous();
        var (h, w) = (maps.shape[2], maps.shape[3]);
        return contiguous.as_strided(maps.shape, [h * w, 1, w, 1], contiguous.storage_offset());
    }

    /// <summary>Whether <paramref name="maps"/> [N, C, H, W] is stored channels last (each pixel's channels adjacent).</summary>
    public static bool IsChannelsLast(Tensor maps)
    {
        if (maps.dim() != 4) return false;
        var (c, h, w) = (maps.shape[1], maps.shape[2], maps.shape[3]);
        var strides = maps.stride();
        return strides[1] == 1 && strides[3] == c && strides[2] == w * c && strides[0] == h * w * c;
    }

    /// <summary>
    /// A layer that unflattens dimension <paramref name="dim"/> into <paramref name="sizes"/> (as <c>nn.Unflatten</c>)
    /// and stores the resulting maps channels last: the first layer of a convolutional stack built as a <c>Sequential</c>.
    /// It holds no parameters, so a saved model's tensor names do not change when it replaces <c>nn.Unflatten</c>.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Unflatten(long dim, long[] sizes) => new UnflattenChannelsLast(dim, sizes);

    private sealed class UnflattenChannelsLast(long dim, long[] sizes) : nn.Module<Tensor, Tensor>(nameof(UnflattenChannelsLast))
    {
        public override Tensor forward(Tensor input) => ChannelsLast(input.unflatten(dim, sizes));
    }
}
