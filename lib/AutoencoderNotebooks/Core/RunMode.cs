namespace AutoencoderNotebooks.Core;

/// <summary>
/// Full mode trains to the book's numbers; quick mode (CI, smoke runs) uses the bundled data sample and a
/// few epochs so every notebook finishes in seconds; pretrained mode (a live class) loads the weights full mode
/// trained, shipped in the repository's <c>pretrained/</c> folder, and runs everything else on the full data set.
/// Chapter 0 introduces it.
/// </summary>
public enum RunMode
{
    /// <summary>Full data set, full training: the numbers that are compared with the book.</summary>
    Full,

    /// <summary>Bundled sample, a few epochs: checks that everything runs, fast.</summary>
    Quick,

    /// <summary>Full data set and full-mode settings, with the shipped full-mode weights loaded instead of trained.</summary>
    Pretrained,
}

/// <summary>Reads the run mode from the environment. (chapter 0)</summary>
public static class RunModes
{
    /// <summary>Environment variable that selects the mode: <c>quick</c>, <c>pretrained</c> or <c>full</c> (the default).</summary>
    public const string Variable = "AUTOENCODER_RUN_MODE";

    /// <summary>The mode that <see cref="Variable"/> asks for.</summary>
    /// <exception cref="ArgumentException">The variable holds something other than quick, pretrained or full.</exception>
    public static RunMode FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Parses <c>quick</c> / <c>pretrained</c> / <c>full</c> (case-insensitive); empty means full.</summary>
    public static RunMode Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "full" => RunMode.Full,
        "quick" => RunMode.Quick,
        "pretrained" => RunMode.Pretrained,
        _ => throw new ArgumentException($"{Variable}='{value}' is not a run mode; use 'quick', 'pretrained' or 'full' (the default).", nameof(value)),
    };
}
