using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AutoencoderNotebooks.Platform;

/// <summary>
/// A process and everything it started, read from <c>/proc</c> (chapter 0): the runner and the apps end their children
/// with it. <see cref="Process.Kill(bool)"/> stops each process of a tree (SIGSTOP) before it kills it, and a killer
/// that is itself killed in between leaves that process stopped and orphaned for good: measured with SIGTERM sent to
/// both runner processes at once (<c>pkill -f CourseRunner</c>), where each killed the other mid-walk and a chapter's
/// app stayed stopped, holding its memory, deaf to SIGTERM. Here a tree is read first and killed leaves first, so a
/// process loses its parent only once it has been killed itself.
/// </summary>
public static class ProcessTree
{
    private const int SigKill = 9;

    /// <summary>Every live process below <paramref name="root"/> (zombies have ended), parents before their children; empty off Linux.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var byParent = Live().ToLookup(p => p.Parent, p => p.Pid);
        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
            foreach (var child in byParent[parent])
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        return found;
    }

    /// <summary>Whether <paramref name="pid"/> names a process that has not ended (a stopped one has not).</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { State: not ('Z' or 'X') };

    /// <summary>
    /// Kills <paramref name="process"/> and everything below it with SIGKILL, children before parents. Never throws: a
    /// process that has gone is what was wanted.
    /// </summary>
    public static void Kill(Process process)
    {
        try
        {
            if (process.HasExited) return; // its children, if any are left, are no longer below it
            if (!OperatingSystem.IsLinux())
            {
                process.Kill(entireProcessTree: true);
                return;
            }
            foreach (var pid in Descendants(process.Id).Reverse()) kill(pid, SigKill);
            kill(process.Id, SigKill);
        }
        catch (Exception e) when (e is InvalidOperationException or AggregateException or System.ComponentModel.Win32Exception)
        {
            // It ended while the tree was walked.
        }
    }

    private static IEnumerable<(int Pid, int Parent)> Live()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(folder), out var pid) && Stat(pid) is { State: not ('Z' or 'X') } stat)
                yield return (pid, stat.Parent);
    }

    // "pid (name) state ppid ...": the name may hold spaces and parentheses, so fields are read after its last ')'.
    private static (char State, int Parent)? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // ended while /proc was read
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
