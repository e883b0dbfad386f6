using AutoencoderNotebooks.Adversarial;
using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Evaluation;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Models;

/// <summary>The channels-last layout: other strides, the same values, and the same results through the course's layers.</summary>
public class MemoryLayoutTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void Channels_last_keeps_every_value_and_stores_each_pixels_channels_together(int channels)
    {
        manual_seed(1);
        using var maps = randn(3, channels, 5, 4);

        using var last = MemoryLayout.ChannelsLast(maps);

        Assert.True(MemoryLayout.IsChannelsLast(last));
        Assert.False(channels > 1 && MemoryLayout.IsChannelsLast(maps));
        Assert.Equal(new long[] { 5 * 4 * channels, 1, 4 * channels, channels }, last.stride());
        Assert.True(last.equal(maps).all().item<bool>());
    }

    [Fact]
    public void A_one_channel_batch_narrowed_out_of_a_larger_tensor_keeps_its_own_pixels()
    {
        using var all = arange(4 * 28 * 28f).reshape(4, 1, 28, 28);
        using var second = all.narrow(0, 2, 2); // contiguous, but 2 × 784 floats into the storage

        using var last = MemoryLayout.ChannelsLast(second);

        Assert.True(last.equal(second).all().item<bool>());
        Assert.Equal(2 * 784f, last[0, 0, 0, 0].item<float>());
    }

    [Fact]
    public void Convolution_pooling_and_flattening_give_the_same_numbers_in_both_layouts_and_keep_the_layout_until_flattened()
    {
        manual_seed(2);
        using var images = rand(8, 1, 28, 28);
        using var weight1 = randn(16, 1, 3, 3) * 0.3;
        using var weight2 = randn(32, 16, 3, 3) * 0.1;
        Tensor Stack(Tensor x, out Tensor maps)
        {
            maps = nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(x, weight1, padding: [1, 1])), [2, 2]);
            maps = nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(maps, weight2, padding: [1, 1])), [2, 2]);
            return maps.flatten(1);
        }

        using var usual = Stack(images, out var usualMaps);
        using var last = Stack(MemoryLayout.ChannelsLast(images), out var lastMaps);

        Assert.False(MemoryLayout.IsChannelsLast(usualMaps));
        Assert.True(MemoryLayout.IsChannelsLast(lastMaps));
        Assert.True(last.is_contiguous());
        Assert.True(last.allclose(usual, rtol: 1e-5, atol: 1e-6), $"largest difference {(last - usual).abs().max().item<float>()}");
    }

    [Fact]
    public void The_unflatten_layer_gives_nn_Unflattens_values_channels_last_and_holds_no_parameters()
    {
        manual_seed(3);
        using var flat = randn(4, 128 * 7 * 7);
        var layer = MemoryLayout.Unflatten(1, [128, 7, 7]);

        using var maps = layer.call(flat);

        Assert.True(MemoryLayout.IsChannelsLast(maps));
        Assert.True(maps.equal(flat.unflatten(1, [128, 7, 7])).all().item<bool>());
        Assert.Empty(layer.parameters());
    }

    [Fact]
    public void The_convolutional_models_give_the_same_outputs_as_their_layers_run_in_the_usual_layout()
    {
        manual_seed(4);
        using var images = rand(6, 28, 28);
        var classifier = new FashionClassifier(FashionClassifierConfig.Course);
        var autoencoder = new ConvAutoencoder(ConvAutoencoderConfig.Book);
        var discriminator = new GanDiscriminator(GanConfig.RadfordDcgan);
        foreach (var m in new nn.Module[] { classifier, autoencoder, discriminator }) m.eval();
        using var noGrad = no_grad();

        // The same weights applied by the functional forms, in the usual layout.
        var c = classifier.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var x = images.reshape(6, 1, 28, 28);
        x = nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(x, c["first.weight"], c["first.bias"], padding: [1, 1])), [2, 2]);
        x = nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(x, c["second.weight"], c["second.bias"], padding: [1, 1])), [2, 2]);
        using var expectedFeatures = nn.functional.relu(nn.functional.linear(x.flatten(1), c["features.weight"], c["features.bias"]));
        using var features = classifier.Features(images);
        Assert.True(features.allclose(expectedFeatures, rtol: 1e-4, atol: 1e-5), $"classifier: largest difference {(features - expectedFeatures).abs().max().item<float>()}");

        // The autoencoder's codings against its encoder's convolutions in the usual layout (SELU, 2×2 pooling).
        var a = autoencoder.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var e = images.reshape(6, 1, 28, 28);
        for (var i = 0; i < 3; i++)
            e = nn.functional.max_pool2d(nn.functional.selu(nn.functional.conv2d(e, a[$"encoder.{i}.weight"], a[$"encoder.{i}.bias"], padding: [1, 1])), [2, 2]);
        using var codings = autoencoder.Encode(images);
        Assert.True(codings.allclose(e.flatten(1), rtol: 1e-4, atol: 1e-5), $"autoencoder: largest difference {(codings - e.flatten(1)).abs().max().item<float>()}");

        // The discriminator: finite logits, one per image, equal for a batch and for its images one at a time.
        using var logits = discriminator.call(images);
        using var one = discriminator.call(images.narrow(0, 3, 1));
        Assert.Equal([6L], logits.shape);
        Assert.True(one.allclose(logits.narrow(0, 3, 1), rtol: 1e-4, atol: 1e-5));
    }
}
