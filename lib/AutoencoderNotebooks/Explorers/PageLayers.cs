using System.Text.Json.Nodes;
using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Variational;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Explorers;

/// <summary>
/// A model's dense layers as an explorer's page runs them (chapters 4 and 6): for each layer its sizes, its weight
/// [outputs × inputs] and bias as base64 little-endian float32 — the trained values exactly, so the page's outputs
/// equal the library's to float rounding — and the activation after it, by the name <c>dense.js</c> knows it by.
/// </summary>
public static class PageLayers
{
    /// <summary>The name <c>dense.js</c> gives <paramref name="activation"/>.</summary>
    public static string NameOf(Activation activation) => activation switch
    {
        Activation.Selu => "selu",
        Activation.Relu => "relu",
        Activation.Tanh => "tanh",
        Activation.Identity => "identity",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "dense.js has no such activation."),
    };

    /// <summary>A whole dense autoencoder, input to reconstruction, as its eval-mode forward pass computes it.</summary>
    public static JsonArray Reconstruction(IDenseAutoencoder model)
    {
        var hidden = NameOf(model.Config.Hidden);
        var output = model.Config.Output switch
        {
            OutputKind.Sigmoid => "sigmoid",
            OutputKind.Hidden => hidden,
            _ => "identity",
        };
        // Encode activates every encoder layer, codings included; the decoder all but its last, then the output.
        IReadOnlyList<Linear> layers = [.. model.EncoderLayers, .. model.DecoderLayers];
        return Chain(layers, i => i < layers.Count - 1 ? hidden : output);
    }

    /// <summary>A VAE's decoder, codings to the image <see cref="VariationalAutoencoder.Decode"/> returns.</summary>
    public static JsonArray Decoder(VariationalAutoencoder model)
    {
        var layers = model.DecoderLayers;
        var hidden = NameOf(model.Config.Activation);
        return Chain(layers, i => i < layers.Count - 1 ? hidden : model.Config.LinearOutput ? "clamp01" : "sigmoid");
    }

    /// <summary>A tensor's values as float32 in base64, little-endian (what <c>CourseDense.floats</c> reads).</summary>
    public static string Base64(Tensor values)
    {
        using var scope = NewDisposeScope();
        return Base64(values.detach().to(ScalarType.Float32).contiguous().data<float>().ToArray());
    }

    /// <summary>Float32 values as base64, little-endian.</summary>
    public static string Base64(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian) // the page reads little-endian floats
            for (var i = 0; i < bytes.Length; i += 4) Array.Reverse(bytes, i, 4);
        return Convert.ToBase64String(bytes);
    }

    private static JsonArray Chain(IReadOnlyList<Linear> layers, Func<int, string> activationAfter)
    {
        var chain = new JsonArray();
        for (var i = 0; i < layers.Count; i++)
        {
            var weight = layers[i].weight ?? throw new InvalidOperationException($"Layer {i} has no weight.");
            var bias = layers[i].bias ?? throw new InvalidOperationException($"Layer {i} has no bias; dense.js expects one.");
            chain.Add(new JsonObject
            {
                ["inputs"] = weight.shape[1],
                ["outputs"] = weight.shape[0],
                ["weight"] = Base64(weight),
                ["bias"] = Base64(bias),
                ["activation"] = activationAfter(i),
            });
        }
        return chain;
    }
}
