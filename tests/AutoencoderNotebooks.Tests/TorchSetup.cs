using System.Runtime.CompilerServices;
using AutoencoderNotebooks.Platform;

namespace AutoencoderNotebooks.Tests;

/// <summary>
/// Runs before any test (tests run serially: libtorch threads, global RNG): makes TorchSharp loadable and
/// points the artifacts folder (saved models, executed notebooks) at a temporary folder of this test run, so
/// tests never read or overwrite the repository's artifacts.
/// </summary>
internal static class TorchSetup
{
    /// <summary>This test run's artifacts folder, deleted when the process exits.</summary>
    public static string Artifacts { get; } = Path.Combine(Path.GetTempPath(), "ae-test-artifacts-" + Guid.NewGuid().ToString("N"));

    [ModuleInitializer]
    internal static void Initialize()
    {
        LibTorchSharpNativeFix.EnsureLoadable(Console.Out);
        Environment.SetEnvironmentVariable(RepositoryPaths.ArtifactsVariable, Artifacts);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                if (Directory.Exists(Artifacts)) Directory.Delete(Artifacts, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a file still open at exit stays in the temp folder.
            }
        };
    }
}
