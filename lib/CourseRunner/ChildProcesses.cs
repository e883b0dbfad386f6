using System.Diagnostics;
using System.Runtime.InteropServices;
using AutoencoderNotebooks.Platform;

namespace CourseRunner;

/// <summary>
/// Every process the runner starts ends with it (chapter 0). <c>dotnet run</c> forwards SIGTERM only to its direct
/// child, and a killed parent leaves its children running, so each runner process ends its own children: on SIGTERM,
/// SIGINT or SIGHUP it kills every process tree it started, leaves first (<see cref="ProcessTree"/>: also when the
/// runner above it is killing the same tree), and exits with 128 + the signal, and a watch thread does the same when
/// the process that started this one is gone (the runner above it was killed outright).
/// </summary>
public static class ChildProcesses
{
    private static readonly List<Process> Running = [];
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static int installed;

    /// <summary>How often the watch thread checks that this process's parent is still the one that started it.</summary>
    public static readonly TimeSpan ParentCheckInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Installs the signal handlers and the parent watch, once per process.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        foreach (var (signal, number) in new[] { (PosixSignal.SIGTERM, 15), (PosixSignal.SIGINT, 2), (PosixSignal.SIGHUP, 1) })
            Registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // exit below, after the children
                EndAllAndExit(128 + number);
            }));
        if (!OperatingSystem.IsLinux()) return;
        var parent = getppid();
        new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(ParentCheckInterval);
                if (getppid() != parent) EndAllAndExit(128 + 1); // orphaned: as if the parent had hung up
            }
        }) { IsBackground = true, Name = "parent watch" }.Start();
    }

    /// <summary>Starts <paramref name="start"/> and keeps it on the list of processes this one ends on exit.</summary>
    public static Process Start(ProcessStartInfo start)
    {
        lock (Running)
        {
            var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
            Running.Add(process);
            return process;
        }
    }

    /// <summary>Kills <paramref name="process"/> with everything it started (<see cref="ProcessTree.Kill"/>), and forgets it.</summary>
    public static void Kill(Process process)
    {
        ProcessTree.Kill(process);
        Forget(process);
    }

    /// <summary>Takes an exited process off the list.</summary>
    public static void Forget(Process process)
    {
        lock (Running) Running.Remove(process);
    }

    /// <summary>
    /// Called when a child has ended: while this process is ending on a signal, the thread that waited for the child
    /// stops here, so the runner exits with the signal's code instead of returning the killed child's.
    /// </summary>
    public static void HoldIfEnding()
    {
        if (Volatile.Read(ref ending) == 1) Thread.Sleep(Timeout.Infinite);
    }

    private static int ending;

    private static void EndAllAndExit(int exitCode)
    {
        Volatile.Write(ref ending, 1);
        Process[] all;
        lock (Running) all = [.. Running];
        foreach (var process in all) Kill(process);
        Console.Out.Flush();
        Environment.Exit(exitCode);
    }

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int getppid();
}
