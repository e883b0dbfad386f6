using System.Diagnostics;
using System.Reflection;

namespace AutoencoderNotebooks.Platform;

/// <summary>Starting this program again as a child (chapter 0): the course runner per notebook, a runner or an app under the heap setting.</summary>
public static class ProgramProcess
{
    /// <summary>
    /// How to start <paramref name="program"/> again with <paramref name="arguments"/>: through this process's
    /// executable, which under <c>dotnet program.dll</c> is the dotnet host, so the assembly then comes first.
    /// </summary>
    public static ProcessStartInfo StartInfo(Assembly program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet") start.ArgumentList.Add(program.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
