using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Benchmark;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Performance;

/// <summary>Known answers for the benchmark's operation counts.</summary>
public class FlopCounterTests
{
    [Fact]
    public void A_linear_layer_costs_two_operations_per_multiply_add_and_three_times_that_with_its_backward_pass()
    {
        var layer = nn.Linear(784, 100);
        using var counter = new FlopCounter(layer);
        using (no_grad()) layer.call(zeros(10, 784));
        Assert.Equal(2.0 * 10 * 784 * 100, counter.Forward);
        Assert.Equal(2.0 * 10 * 784 * 100, counter.Training);
        counter.Reset();
        layer.call(zeros(10, 784));
        Assert.Equal(3 * 2.0 * 10 * 784 * 100, counter.Training);
    }

    [Fact]
    public void Convolutions_count_by_output_and_transposed_convolutions_by_input()
    {
        var conv = nn.Conv2d(3, 8, 3, padding: 1);
        var transposed = nn.ConvTranspose2d(8, 4, 4, stride: 2, padding: 1);
        using var counter = new FlopCounter(conv, transposed);
        using var noGrad = no_grad();
        var maps = conv.call(zeros(2, 3, 10, 10));                 // 2 × 8 × 10 × 10 outputs, 3 × 3 × 3 each
        Assert.Equal(2.0 * (2 * 8 * 10 * 10) * (3 * 3 * 3), counter.Forward);
        counter.Reset();
        var upsampled = transposed.call(maps);                     // 2 × 8 × 10 × 10 inputs, 4 × 4 × 4 each
        Assert.Equal(new long[] { 2, 4, 20, 20 }, upsampled.shape);
        Assert.Equal(2.0 * (2 * 8 * 10 * 10) * (4 * 4 * 4), counter.Forward);
    }

    [Fact]
    public void The_stacked_autoencoder_counts_every_layer_and_hooks_go_with_the_counter()
    {
        var model = new StackedAutoencoder(StackedAutoencoderConfig.Book);
        var perSample = 2.0 * (784 * 100 + 100 * 30 + 30 * 100 + 100 * 784);
        using var noGrad = no_grad();
        var counter = new FlopCounter(model);
        model.call(zeros(4, 28, 28));
        Assert.Equal(4 * perSample, counter.Forward);
        counter.Dispose();
        model.call(zeros(4, 28, 28));
        Assert.Equal(4 * perSample, counter.Forward);
    }
}
