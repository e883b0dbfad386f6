using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests;

/// <summary>Images from the bundled sample, for model tests.</summary>
internal static class SampleData
{
    /// <summary>The first <paramref name="count"/> training images of the bundled sample, [count, 28, 28] (a copy).</summary>
    public static Tensor Images(int count)
    {
        using var data = Datasets.Load(RunMode.Quick);
        return data.Train.Images.narrow(0, 0, count).clone();
    }
}
