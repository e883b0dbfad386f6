using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AutoencoderNotebooks.Platform;

/// <summary>
/// The processor a time was measured on (chapter 0): training speed on two cores differs by more than 2× between
/// machines with and without AVX-512, so every time the course reports comes with the CPU beside it.
/// </summary>
public static class CpuInfo
{
    /// <summary>The variable that caps the vector instructions libtorch's own kernels use (e.g. <c>avx2</c> on an AVX-512 machine).</summary>
    public const string TorchCapabilityVariable = "ATEN_CPU_CAPABILITY";

    /// <summary>The processor's name from <c>/proc/cpuinfo</c> (Linux), else its architecture.</summary>
    public static string ModelName()
    {
        if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                    return line[(colon + 1)..].Trim();
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>The widest vector extension the processor offers: AVX-512, AVX2, or what else there is.</summary>
    public static string VectorExtensions() =>
        Avx512F.IsSupported ? "AVX-512" : Avx2.IsSupported ? "AVX2" : Avx.IsSupported ? "AVX" :
        System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? "NEON" : "SSE or none";

    /// <summary>One line: name, cores, vector extensions, and libtorch's cap when one is set.</summary>
    public static string Describe() =>
        $"{ModelName()}, {Environment.ProcessorCount} cores, {VectorExtensions()}" +
        (Environment.GetEnvironmentVariable(TorchCapabilityVariable) is { Length: > 0 } cap ? $" (libtorch capped at {cap} by {TorchCapabilityVariable})" : "");
}
