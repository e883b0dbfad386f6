using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json;
using AutoencoderNotebooks.Adversarial;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Diffusion;
using AutoencoderNotebooks.Evaluation;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Chapters;

/// <summary>
/// Rebuilds the model a saved file belongs to from its training record (teaching: pretrained weights), and scores
/// it in a way that needs no training: what the shipped weights are checked against.
/// </summary>
public static class SavedModels
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// A fresh, untrained model of the type and configuration in <paramref name="description"/> (a
    /// <see cref="ModelKey.Description"/>): the generator of a GAN, the network of a diffusion model, or the model a
    /// run, greedy run or classifier run names, or a GAN's discriminator.
    /// </summary>
    public static nn.Module Create(string description)
    {
        var parts = JsonNode.Parse(description)?["parts"]?.AsArray() ?? throw new InvalidDataException("The description has no 'parts'.");
        var recipe = (string?)parts[0]?["value"];
        var (typeName, config) = recipe switch
        {
            "gan" => (nameof(GanGenerator), parts[1]!),
            "gan-discriminator" => (nameof(GanDiscriminator), parts[1]!),
            "diffusion" => (nameof(UNet), parts[1]!),
            "train" or "greedy" or "classifier" => ((string?)parts[1]?["value"] ?? "", parts[2]!),
            _ => throw new InvalidDataException($"Unknown recipe '{recipe}' in a model key."),
        };
        var type = typeof(IConfiguredModel).Assembly.GetTypes().SingleOrDefault(t => t.Name == typeName && typeof(nn.Module).IsAssignableFrom(t))
                   ?? throw new InvalidDataException($"No model type named '{typeName}' in the course library.");
        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
                              .SingleOrDefault(c => c.GetParameters() is [var p] && p.ParameterType.Name == (string?)config["type"])
                          ?? throw new InvalidDataException($"{typeName} has no constructor that takes a {(string?)config["type"]}.");
        var value = config["value"].Deserialize(constructor.GetParameters()[0].ParameterType, Json);
        return (nn.Module)constructor.Invoke([value]);
    }

    /// <summary>
    /// A score of <paramref name="model"/> that needs no training, on <paramref name="test"/> (the bundled sample's
    /// test split): reconstruction MSE for autoencoders, accuracy for classifiers, noise-prediction MSE for a
    /// diffusion network (100 images, steps and noise from seed 1), the share of images a GAN discriminator calls
    /// real; for a GAN generator, which takes noise rather than images, the mean pixel of 100 samples from seed 1.
    /// Deterministic: seeded, in eval mode.
    /// </summary>
    public static (string Name, double Value) Score(nn.Module model, ImageSet test)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        var images = test.Images.narrow(0, 0, Math.Min(500, test.Count));
        switch (model)
        {
            case GanGenerator gan:
                return ("mean pixel of 100 samples (seed 1)", PixelRange.ToUnit(gan.Predict(randn(100, gan.Config.Codings, generator: generator))).mean().item<float>());
            case GanDiscriminator discriminator:
                return ("test images called real", discriminator.Predict(PixelRange.ToSigned(images)).gt(0).to_type(ScalarType.Float32).mean().item<float>());
            case UNet unet:
            {
                var x0 = PixelRange.ToSigned(images.narrow(0, 0, 100));
                var steps = randint(0, NoiseSchedule.Course.Steps, [100], generator: generator, dtype: ScalarType.Int64);
                var noise = randn(x0.shape, generator: generator);
                var alphaBars = tensor(NoiseSchedule.Course.AlphaBars(), dtype: ScalarType.Float32).index_select(0, steps);
                using var evaluation = new EvaluationMode(unet);
                using var noGrad = no_grad();
                var predicted = unet.forward(NoiseSchedule.Noise(x0, noise, alphaBars), steps);
                return ("noise-prediction MSE (100 images, seed 1)", nn.functional.mse_loss(predicted, noise).item<float>());
            }
            case FashionClassifier classifier:
                return ("accuracy", Classification.Accuracy(classifier, images, test.Labels.narrow(0, 0, images.shape[0])));
            case nn.Module<Tensor, Tensor> autoencoder:
                manual_seed(1);
                return ("reconstruction MSE", ReconstructionLoss.MeanSquaredError(autoencoder.Predict(images), images).item<float>());
            default:
                throw new ArgumentException($"No score for a {model.GetType().Name}.", nameof(model));
        }
    }
}
