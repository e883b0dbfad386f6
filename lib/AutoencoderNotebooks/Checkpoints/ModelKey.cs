using AutoencoderNotebooks.Platform;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;

namespace AutoencoderNotebooks.Checkpoints;

/// <summary>
/// The identity of a trained model, computed from the values that made it (chapter 2): the recipe, the model
/// type and every field of its configuration (arrays by content, enums by name), the training settings and
/// objective, the data set's name and split sizes, and <see cref="FormatVersion"/>. Never typed by hand.
/// </summary>
public sealed record ModelKey(string Hash, string Description)
{
    /// <summary>Raised whenever what a saved model means changes, so older files are not reused (3: initial weights from <see cref="InitialSeed"/>).</summary>
    public const int FormatVersion = 3;

    /// <summary>
    /// The seed a model's initial weights are drawn from: the hash's first 60 bits. A model trained under this key
    /// starts from the same weights whatever ran before it in the process (another chapter's training, or a load).
    /// </summary>
    public long InitialSeed => Convert.ToInt64(Hash[..15], 16);

    /// <summary>The key of the values in <paramref name="parts"/> (each serialised with its runtime type's name).</summary>
    public static ModelKey Of(params object[] parts)
    {
        var described = new JsonObject
        {
            ["format"] = FormatVersion,
            ["parts"] = new JsonArray(parts.Select(p => (JsonNode)new JsonObject
            {
                ["type"] = p.GetType().Name,
                ["value"] = JsonSerializer.SerializeToNode(p, p.GetType(), LibraryJson.EnumsByName),
            }).ToArray()),
        };
        var description = described.ToJsonString();
        return new ModelKey(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description)))[..16], description);
    }
}
