using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AutoencoderNotebooks.Platform;

/// <summary>
/// The processor a time was measured on (chapter 0): training speed on two cores differs by more than 2× between
/// machines with and without AVX-512, so every time the course reports comes with the CPU beside it.
/// </summary>
public static class CpuInfo
{
    /// <summary>
    /// The variables that cap the vector instructions the course's native libraries use, in the order libtorch's
    /// stack applies them: libtorch's own kernels (e.g. <c>avx2</c>), oneDNN's convolutions (<c>AVX2</c>; older
    /// releases read the <c>DNNL_</c> name) and MKL's matrix products (<c>AVX2</c>). With all three an AVX-512 machine
    /// runs the code paths an AVX2 laptop runs (issue: speed on AVX2), though not at its memory speed.
    /// </summary>
    public static IReadOnlyList<string> InstructionCapVariables { get; } = ["ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS"];

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

    /// <summary>The caps set in this process's environment, as <c>NAME=value</c>; empty when none is.</summary>
    public static IReadOnlyList<string> InstructionCaps() =>
        InstructionCapVariables.Select(v => (v, Environment.GetEnvironmentVariable(v))).Where(p => !string.IsNullOrWhiteSpace(p.Item2))
            .Select(p => $"{p.v}={p.Item2!.Trim()}").ToList();

    /// <summary>The instruction set figures are measured with: the widest extension, and the caps when any is set.</summary>
    public static string InstructionSet() =>
        VectorExtensions() + (InstructionCaps() is { Count: > 0 } caps ? $" (capped by {string.Join(", ", caps)})" : "");

    /// <summary>One line: name, cores, vector extensions, and the instruction caps when any is set.</summary>
    public static string Describe() => $"{ModelName()}, {Environment.ProcessorCount} cores, {InstructionSet()}";
}
