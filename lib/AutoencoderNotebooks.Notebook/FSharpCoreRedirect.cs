using System.Reflection;
using System.Runtime.Loader;

namespace AutoencoderNotebooks.Notebook;

/// <summary>
/// Notebook kernels ship FSharp.Core 10.0 while Plotly.NET 6 is built against 10.1, so the first chart
/// fails with <c>FileNotFoundException: FSharp.Core, Version=10.1.0.0</c>. FSharp.Core is backward
/// compatible within a major version, so answering that request with the FSharp.Core already loaded
/// makes charts render. Installed by <see cref="Course.Setup"/> (chapter 0).
/// </summary>
public static class FSharpCoreRedirect
{
    private static int installed;

    /// <summary>Hooks <see cref="AssemblyLoadContext.Default"/>; idempotent.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += (_, name) => Resolve(name, AppDomain.CurrentDomain.GetAssemblies());
    }

    /// <summary>The already loaded FSharp.Core of the same major version, if <paramref name="request"/> asks for FSharp.Core.</summary>
    public static Assembly? Resolve(AssemblyName request, IEnumerable<Assembly> loaded)
    {
        if (request.Name != "FSharp.Core") return null;
        return loaded
            .Where(a => a.GetName() is { Name: "FSharp.Core" } n && (request.Version is null || n.Version?.Major == request.Version.Major))
            .OrderByDescending(a => a.GetName().Version)
            .FirstOrDefault();
    }
}
