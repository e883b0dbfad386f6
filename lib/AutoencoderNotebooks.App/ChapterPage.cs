using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using AutoencoderNotebooks.Book;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Charts;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Platform;
using Plotly.NET;

namespace AutoencoderNotebooks.App;

/// <summary>
/// What a chapter's file-based app does around the notebook's code (chapter 0): reads the run mode from its arguments,
/// runs under the course's heap setting, runs its cells in <c>notebooks/</c> as a kernel does, keeps what each cell
/// prints and shows, and at the end writes the chapter's page with the HTML book's renderer — the notebook's prose
/// and code with this run's outputs — to <c>artifacts/apps/</c>, beside the executed notebook and its metrics.
/// The generated app calls <see cref="Begin"/>, then <see cref="Cell"/> before each code cell, <see cref="Show"/> for
/// what a cell displays, and <see cref="End"/>.
/// </summary>
public static class ChapterPage
{
    /// <summary>The folder under the artifacts folder that the apps write their pages to.</summary>
    public const string FolderName = "apps";

    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, JsonArray> Outputs = [];
    private static CellConsole? console;
    private static string? notebookPath;
    private static int currentCell = -1;
    private static string? failure;
    private static bool ended;

    /// <summary>
    /// Starts the chapter whose notebook is <paramref name="notebook"/> (a file name in <c>notebooks/</c>).
    /// <paramref name="arguments"/>: <c>--quick</c>, <c>--pretrained</c> or <c>--full</c> (default: the mode
    /// <c>AUTOENCODER_RUN_MODE</c> names, else full). Exits the process for <c>--help</c> and for arguments it does not know.
    /// </summary>
    public static void Begin(string notebook, string[] arguments, [CallerFilePath] string appFile = "")
    {
        if (arguments.Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine($"usage: dotnet run apps/{Path.ChangeExtension(notebook, ".cs")} [-- --quick | --pretrained | --full]");
            Console.WriteLine("  --quick       bundled data sample and few epochs; --pretrained: the shipped weights; default: full mode");
            Console.WriteLine($"  the chapter's page is written to artifacts/{FolderName}/{BookPage.PageName(notebook)}");
            Environment.Exit(0);
        }
        if (arguments.Where(a => a is not ("--quick" or "--pretrained" or "--full")).ToList() is [var unknown, ..])
            Exit($"Unknown argument '{unknown}'; use --quick, --pretrained or --full (or --help).");
        if (arguments.Distinct().Count() > 1) Exit("Choose one of --quick, --pretrained and --full.");
        if (arguments is [var flag]) Environment.SetEnvironmentVariable(RunModes.Variable, flag[2..]);

        RestartUnderTunedHeap(arguments);

        var root = RootFrom(appFile);
        notebookPath = Path.Combine(root, "notebooks", notebook);
        if (!File.Exists(notebookPath)) Exit($"{notebookPath} does not exist: the app is generated from it (regenerate the apps after renaming a notebook).");
        Directory.SetCurrentDirectory(Path.Combine(root, "notebooks")); // where a kernel runs a notebook's cells
        console = new CellConsole(Console.Out);
        Console.SetOut(console);
        AppDomain.CurrentDomain.UnhandledException += (_, e) => Fail(e.ExceptionObject as Exception);
    }

    /// <summary>The terminal, past the capture of what cells print.</summary>
    internal static TextWriter Terminal => console?.Real ?? Console.Out;

    /// <summary>What follows is code cell <paramref name="index"/> of the notebook (its position among all cells).</summary>
    public static void Cell(int index)
    {
        lock (Gate)
        {
            TakePrinted();
            currentCell = index;
        }
    }

    /// <summary>Shows <paramref name="value"/> as the cell's output, as a kernel shows a cell's last expression or a <c>display(…)</c>.</summary>
    /// <param name="value">A chart, an HTML piece, or anything else (shown as its text).</param>
    /// <param name="echo">Also say so on the console (text in full, an HTML output as one line).</param>
    public static void Show(object? value, bool echo = true)
    {
        if (value is null) return;
        var (mime, content) = value switch
        {
            GenericChart chart => ("text/html", ChartHtml.Of(chart)),
            HtmlOutput html => ("text/html", html.Markup),
            _ => ("text/plain", value.ToString() ?? ""),
        };
        lock (Gate)
        {
            TakePrinted();
            Current().Add(new JsonObject
            {
                ["output_type"] = "display_data",
                ["data"] = new JsonObject { [mime] = content },
                ["metadata"] = new JsonObject(),
            });
        }
        if (echo) console?.Real.WriteLine(mime == "text/plain" ? content : $"[{(value is GenericChart ? "chart" : "table or HTML")}: on the chapter's page]");
    }

    /// <summary>Writes the chapter's page, its executed notebook and its metrics, and prints the page's path. Returns the page's path.</summary>
    public static string End()
    {
        JsonObject document;
        lock (Gate)
        {
            if (notebookPath is null) throw new InvalidOperationException("ChapterPage.Begin was not called.");
            TakePrinted();
            ended = true;
            document = NotebookDocument.Read(notebookPath, out var problem) ?? throw new InvalidDataException(problem);
            var cells = document["cells"]?.AsArray() ?? throw new InvalidDataException($"{notebookPath} has no cells.");
            for (var i = 0; i < cells.Count; i++)
                if (cells[i] is JsonObject cell && (string?)cell["cell_type"] == "code")
                    cell["outputs"] = Outputs.TryGetValue(i, out var outputs) ? outputs.DeepClone() : new JsonArray();
            if (NativeHeap.PeakResidentBytes() is { } peak)
                (document["metadata"] ??= new JsonObject())[NotebookDocument.PeakMemoryKey] = peak;
        }
        var folder = Path.Combine(RepositoryPaths.Artifacts(), FolderName);
        Directory.CreateDirectory(folder);
        BookPage.CopyAssets(folder);
        var name = Path.GetFileName(notebookPath);
        var page = Path.Combine(folder, BookPage.PageName(name));
        AtomicFile.Write(page, temp => File.WriteAllText(temp, BookPage.Chapter(document, name, failure, null, null)));
        AtomicFile.Write(Path.Combine(folder, name), temp => File.WriteAllText(temp, document.ToJsonString()));
        AtomicFile.Write(Path.Combine(folder, Path.ChangeExtension(name, ".metrics.json")), temp => File.WriteAllText(temp, CourseMetrics.ToJson()));
        (console?.Real ?? Console.Out).WriteLine($"Chapter page: {page}");
        return page;
    }

    // The cell running when the app failed gets the error, and the page says where the chapter stopped. Then the app
    // ends as a failed cell reads: the error first, exit code 1, instead of the runtime's abort (exit code 134).
    private static void Fail(Exception? exception)
    {
        lock (Gate)
        {
            if (ended || notebookPath is null) return;
            TakePrinted();
            var error = exception?.GetBaseException();
            failure = $"cell {currentCell}: {error?.GetType().Name}: {error?.Message}";
            Current().Add(new JsonObject
            {
                ["output_type"] = "error",
                ["ename"] = error?.GetType().Name ?? "Error",
                ["evalue"] = error?.Message ?? "",
                ["traceback"] = new JsonArray((exception?.ToString() ?? "").Split('\n').Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
            });
        }
        End();
        Console.Error.WriteLine($"The chapter stopped in {failure}");
        Console.Error.WriteLine(exception);
        Environment.Exit(1);
    }

    private static JsonArray Current()
    {
        if (!Outputs.TryGetValue(currentCell, out var outputs)) Outputs[currentCell] = outputs = [];
        return outputs;
    }

    // What the cell printed since the last output becomes one stdout output, as a kernel saves it.
    private static void TakePrinted()
    {
        if (console?.Take() is { Length: > 0 } text)
            Current().Add(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = text });
    }

    // The repository holding the app: the app's own folder's parent when it is apps/ of a checkout, else the checkout around the working directory.
    private static string RootFrom(string appFile)
    {
        var fromApp = Path.GetDirectoryName(Path.GetDirectoryName(appFile));
        return fromApp is not null && File.Exists(Path.Combine(fromApp, RepositoryPaths.SolutionFile)) ? fromApp : RepositoryPaths.Root();
    }

    // glibc reads its tunables only at process start: run this app again under the course's heap setting, as the runner does.
    private static void RestartUnderTunedHeap(string[] arguments)
    {
        if (NativeHeap.TunablesToRestartWith() is not { } tunables) return;
        var start = ProgramProcess.StartInfo(Assembly.GetEntryAssembly() ?? typeof(ChapterPage).Assembly, arguments);
        start.Environment[NativeHeap.TunablesVariable] = tunables;
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {start.FileName} again.");
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // wait for the child to end instead
            ProcessTree.Kill(child);
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
        child.WaitForExit();
        Environment.Exit(child.ExitCode);
    }

    private static void Exit(string message)
    {
        Console.Error.WriteLine(message);
        Environment.Exit(2);
    }
}
