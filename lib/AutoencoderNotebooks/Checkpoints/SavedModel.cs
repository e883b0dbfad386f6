using AutoencoderNotebooks.Platform;
using System.Text.Json;
using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Checkpoints;

/// <summary>
/// What a checkpoint holds, named explicitly (chapter 2): the model's type and its configuration record, as a type
/// name and the record's values. A <see cref="ModelRegistry"/> rebuilds the untrained model from it; nothing is read
/// back from the position of a value in the key's description.
/// </summary>
/// <param name="ModelType">The model class, e.g. <c>ConvAutoencoder</c>.</param>
/// <param name="ConfigurationType">Its configuration record's class, e.g. <c>ConvAutoencoderConfig</c>.</param>
/// <param name="Configuration">The record's values (arrays by content, enums by name).</param>
public sealed record SavedModel(string ModelType, string ConfigurationType, JsonElement Configuration)
{
    /// <summary>The type and configuration of <paramref name="model"/>, which must be built from a configuration record.</summary>
    public static SavedModel Of(nn.Module model)
    {
        if (model is not IConfiguredModel configured)
            throw new ArgumentException($"A {model.GetType().Name} has no configuration record ({nameof(IConfiguredModel)}), so a checkpoint could not say how to rebuild it.", nameof(model));
        var config = configured.Configuration;
        return new(model.GetType().Name, config.GetType().Name, JsonSerializer.SerializeToElement(config, config.GetType(), LibraryJson.EnumsByName));
    }

    /// <summary>
    /// Why this record cannot be loaded into <paramref name="model"/> (another type or configuration), or null when it
    /// can.
    /// </summary>
    public string? Mismatch(nn.Module model)
    {
        var actual = Of(model);
        if (actual.ModelType != ModelType) return $"it holds a {ModelType}, not a {actual.ModelType}";
        if (actual.ConfigurationType != ConfigurationType || Compact(actual.Configuration) != Compact(Configuration))
            return $"its {ConfigurationType} {Compact(Configuration)} differs from the model's {actual.ConfigurationType} {Compact(actual.Configuration)}";
        return null;
    }

    // The values without the layout an indented record file gave them.
    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element, LibraryJson.Compact);
}
