using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text;

namespace AutoencoderNotebooks.Checkpoints;

/// <summary>
/// A value computed from saved models' outputs — a generator's scores on thousands of samples (chapters 8–10) — kept in
/// the model store under its identity, so a later chapter or pretrained mode reads it instead of computing it again.
/// </summary>
/// <param name="Identity">Everything the value depends on, each model named as <c>key:&lt;hash&gt;</c>.</param>
/// <param name="Value">The value, as JSON.</param>
public sealed partial record SavedScore(string Identity, JsonElement Value)
{
    /// <summary>The file a value remembered under <paramref name="identity"/> is kept in: named by the identity's SHA-256.</summary>
    public static string FileName(string identity) =>
        $"score.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16]}.json";

    /// <summary>The model keys the identity names (<c>key:&lt;hash&gt;</c>): the value is shipped only with all of them.</summary>
    public IReadOnlyList<string> ModelKeys => KeyReference().Matches(Identity).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("key:([0-9a-f]{16})")]
    private static partial Regex KeyReference();
}
