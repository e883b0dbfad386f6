using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AutoencoderNotebooks.Platform;

/// <summary>
/// The serialiser settings of every JSON value the library writes or reads: model keys, checkpoint records, the
/// pretrained manifest, a run's metrics. Each names its type resolver explicitly, so serialisation works in any host,
/// including a file-based app, whose default <c>PublishAot=true</c> turns off the reflection-based resolver that
/// <see cref="JsonSerializer"/> otherwise picks by itself ("Reflection-based serialization has been disabled").
/// The output is the same as with the default settings, so no model key changes.
/// </summary>
public static class LibraryJson
{
    /// <summary>Compact output, enums as numbers: the default settings, resolver made explicit.</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false, enumsByName: false);

    /// <summary>Indented output, for files a person may read (checkpoint records, the manifest).</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true, enumsByName: false);

    /// <summary>Compact output with enums by name: how model keys and configurations are written.</summary>
    public static JsonSerializerOptions EnumsByName { get; } = Create(indented: false, enumsByName: true);

    private static JsonSerializerOptions Create(bool indented, bool enumsByName)
    {
        var options = new JsonSerializerOptions { WriteIndented = indented, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        if (enumsByName) options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }
}
