using AutoencoderNotebooks.Platform;
using System.Text.Json;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Checkpoints;

/// <summary>A score of a model that needs no training: what shipped weights are checked against (teaching).</summary>
/// <param name="Name">What was measured, e.g. <c>reconstruction MSE</c>.</param>
/// <param name="Value">Its value.</param>
public sealed record ModelScore(string Name, double Value);

/// <summary>
/// The one place that maps a saved model's type to how it is built from its configuration and how it is scored
/// (teaching: pretrained weights). Adding a model family to the checkpoints means one <see cref="Add{TModel, TConfig}"/>.
/// </summary>
public sealed class ModelRegistry
{
    private sealed record Entry(Type Configuration, Func<object, nn.Module> Build, Func<nn.Module, ImageSet, ModelScore> Score);

    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>The registered model types.</summary>
    public IReadOnlyCollection<string> ModelTypes => entries.Keys;

    /// <summary>
    /// Registers <typeparamref name="TModel"/>: built by <paramref name="create"/> from a <typeparamref name="TConfig"/>,
    /// scored by <paramref name="score"/> on a test split. Returns this registry.
    /// </summary>
    public ModelRegistry Add<TModel, TConfig>(Func<TConfig, TModel> create, Func<TModel, ImageSet, ModelScore> score)
        where TModel : nn.Module, IConfiguredModel where TConfig : notnull
    {
        if (!entries.TryAdd(typeof(TModel).Name, new Entry(typeof(TConfig),
                configuration => create((TConfig)configuration),
                (model, test) => score((TModel)model, test))))
            throw new ArgumentException($"{typeof(TModel).Name} is registered twice.");
        return this;
    }

    /// <summary>
    /// A fresh, untrained model of the type and configuration <paramref name="saved"/> names; an
    /// <see cref="InvalidDataException"/> saying why when it cannot be built (unknown type, another configuration
    /// type, unreadable values).
    /// </summary>
    public nn.Module Create(SavedModel saved)
    {
        var entry = Find(saved.ModelType);
        if (entry.Configuration.Name != saved.ConfigurationType)
            throw new InvalidDataException($"A {saved.ModelType} is built from a {entry.Configuration.Name}, but the checkpoint holds a {saved.ConfigurationType}.");
        try
        {
            return entry.Build(saved.Configuration.Deserialize(entry.Configuration, LibraryJson.EnumsByName) ?? throw new JsonException("the configuration is null"));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The checkpoint's {saved.ConfigurationType} cannot be read ({e.Message}): {saved.Configuration.GetRawText()}", e);
        }
    }

    /// <summary>
    /// Gives <paramref name="model"/> the weights its constructor draws from a generator seeded with
    /// <paramref name="seed"/>: a fresh instance of its type and configuration, built under that seed, copied in
    /// (chapter 2: the same key, the same start). False, and the model left as it is, for a type not registered here.
    /// </summary>
    public bool TryInitialise(nn.Module model, long seed)
    {
        if (model is not IConfiguredModel configured || !entries.TryGetValue(model.GetType().Name, out var entry)) return false;
        var configuration = configured.Configuration;
        if (configuration.GetType() != entry.Configuration)
            throw new ArgumentException($"A {model.GetType().Name} is registered with a {entry.Configuration.Name}, but this one was built from a {configuration.GetType().Name}.", nameof(model));
        manual_seed(seed);
        using var fresh = entry.Build(configuration);
        using var noGrad = no_grad();
        var initial = fresh.state_dict();
        foreach (var (name, value) in model.state_dict()) value.copy_(initial[name]);
        return true;
    }

    /// <summary>The registered score of <paramref name="model"/> on <paramref name="test"/>.</summary>
    public ModelScore Score(nn.Module model, ImageSet test) => Find(model.GetType().Name).Score(model, test);

    private Entry Find(string modelType) => entries.TryGetValue(modelType, out var entry) ? entry
        : throw new InvalidDataException($"No model type '{modelType}' is registered (known: {string.Join(", ", entries.Keys.Order(StringComparer.Ordinal))}).");
}
