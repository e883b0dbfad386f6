using System.Runtime.CompilerServices;
using AutoencoderNotebooks.Runtime;

namespace AutoencoderNotebooks.Tests;

/// <summary>Makes TorchSharp loadable before any test touches it (tests run serially: libtorch threads, global RNG).</summary>
internal static class TorchSetup
{
    [ModuleInitializer]
    internal static void Initialize() => LibTorchSharpNativeFix.EnsureLoadable(Console.Out);
}
