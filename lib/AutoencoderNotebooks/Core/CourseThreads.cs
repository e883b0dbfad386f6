namespace AutoencoderNotebooks.Core;

/// <summary>
/// How many threads libtorch computes with (chapter 0). An explicit course setting rather than the machine's
/// processor count: the split of a reduction between threads changes its rounding, so the same thread count is
/// part of getting the same numbers on a rerun or on another machine of the same kind.
/// </summary>
public static class CourseThreads
{
    /// <summary>Environment variable that overrides <see cref="Default"/>, e.g. <c>AUTOENCODER_THREADS=8</c> on a larger machine.</summary>
    public const string Variable = "AUTOENCODER_THREADS";

    /// <summary>The thread count the course's numbers were measured with (the 2-core reference machines).</summary>
    public const int Default = 2;

    /// <summary>The thread count <see cref="Variable"/> asks for, or <see cref="Default"/> when it is unset.</summary>
    /// <exception cref="ArgumentException">The variable holds something other than a whole number from 1 to 1024.</exception>
    public static int FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Parses a thread count; empty means <see cref="Default"/>.</summary>
    public static int Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return Default;
        if (int.TryParse(value.Trim(), out var threads) && threads is >= 1 and <= 1024) return threads;
        throw new ArgumentException($"{Variable}='{value}' is not a thread count; use a whole number from 1 to 1024, or unset it for {Default}.", nameof(value));
    }

    /// <summary>One line for the setup output: the count, where it came from, and the machine's processors.</summary>
    public static string Describe(int threads) =>
        $"{threads} threads ({(Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } ? Variable : $"the course's default; {Variable} changes it")}; " +
        $"this machine has {Environment.ProcessorCount} logical processors)";
}
