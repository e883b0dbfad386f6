using System.Globalization;
using AutoencoderNotebooks.Book;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.Json;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Notebook;
using AutoencoderNotebooks.Platform;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;
using Microsoft.DotNet.Interactive;

namespace CourseRunner;

/// <summary>A cell that failed: which one, and the kernel's error. (chapter 0)</summary>
public sealed record CellFailure(string Notebook, int Cell, string Error)
{
    /// <inheritdoc />
    public override string ToString() => $"{Notebook}, cell {Cell}: {Error}";
}

/// <summary>What one notebook run produced. (chapter 0)</summary>
public sealed record NotebookRun(
    string Notebook,
    TimeSpan Elapsed,
    CellFailure? Failure,
    IReadOnlyList<MetricRecord> Metrics,
    IReadOnlyList<JsonObject> Outputs,
    string ExecutedPath,
    long? PeakMemoryBytes = null,
    int DisplayUpdates = 0)
{
    /// <summary>True when every cell ran without error.</summary>
    public bool Succeeded => Failure is null;

    /// <summary>All outputs of MIME type <paramref name="mime"/> (e.g. <c>text/html</c>).</summary>
    public IEnumerable<string> OutputsOfType(string mime) =>
        Outputs.Select(o => o["data"]?[mime]).OfType<JsonNode>().Select(NotebookText.Of);
}

/// <summary>
/// Runs a Jupyter notebook top to bottom in an in-process .NET Interactive C# kernel, set up as the
/// dotnet-interactive tool sets up its C# kernel (<c>#r "nuget: ..."</c>, kernel helpers), and writes the
/// executed notebook with its outputs. (chapter 0)
/// </summary>
public static partial class NotebookExecutor
{
    private const string MetricsVariable = "__courseMetricsJson";

    /// <summary>Executes <paramref name="notebookPath"/> and writes the result into <paramref name="outputFolder"/>.</summary>
    public static async Task<NotebookRun> RunAsync(string notebookPath, string outputFolder, RunMode mode, TextWriter? log = null)
    {
        var name = Path.GetFileName(notebookPath);
        if (NotebookDocument.Read(notebookPath, out var unreadable) is not { } document || document["cells"] is not JsonArray cells)
            return new NotebookRun(name, TimeSpan.Zero, new CellFailure(name, 0, unreadable ?? $"{notebookPath} has no 'cells' array: not a notebook."), [], [], "");

        var previousDirectory = Directory.GetCurrentDirectory();
        var previousMode = Environment.GetEnvironmentVariable(RunModes.Variable);
        Environment.SetEnvironmentVariable(RunModes.Variable, mode.ToString().ToLowerInvariant());
        Directory.SetCurrentDirectory(Path.GetDirectoryName(Path.GetFullPath(notebookPath))!);
        using var memory = new PeakSampler();
        var watch = Stopwatch.StartNew();
        CellFailure? failure = null;
        var allOutputs = new List<JsonObject>();
        var updates = 0;
        IReadOnlyList<MetricRecord> metrics = [];
        try
        {
            using var csharp = CreateCSharpKernel();
            using var kernel = new CompositeKernel { csharp };
            kernel.DefaultKernelName = csharp.Name;
            using var echo = log is null ? null : kernel.KernelEvents.Subscribe(new ProgressEcho(log, name));
            var executionCount = 0;
            for (var i = 0; i < cells.Count; i++)
            {
                var cell = cells[i]!.AsObject();
                if ((string?)cell["cell_type"] != "code") continue;
                var source = NotebookText.Source(cell);
                var outputs = new JsonArray();
                cell["outputs"] = outputs;
                if (string.IsNullOrWhiteSpace(source)) continue;
                cell["execution_count"] = ++executionCount;
                log?.WriteLine($"  [{name}] cell {i + 1} ({ProcessMemory.ResidentBytes() / 1_000_000 ?? 0} MB resident)");
                memory.TakeWindowPeak();
                var cellWatch = Stopwatch.StartNew();
                var result = await kernel.SendAsync(new SubmitCode(WithLoadedLibrary(source), csharp.Name));
                failure = Collect(result.Events, outputs, executionCount, name, i + 1);
                // Each cell's seconds: where a chapter's time goes (training, sampling, scoring) without a profiler.
                log?.WriteLine($"  [{name}] cell {i + 1} done in {cellWatch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s: {memory.TakeWindowPeak() / 1_000_000 ?? 0} MB peak");
                // Front ends such as dotnet-repl save every update as an output of its own.
                updates += result.Events.OfType<DisplayedValueUpdated>().Count();
                allOutputs.AddRange(outputs.Select(o => o!.AsObject()));
                if (failure is not null) break;
            }
            if (failure is null)
                metrics = await ReadMetricsAsync(kernel, csharp);
        }
        finally
        {
            Directory.SetCurrentDirectory(previousDirectory);
            Environment.SetEnvironmentVariable(RunModes.Variable, previousMode);
        }
        watch.Stop();
        // The kernel and every tensor the notebook left are unreachable now: free them before the next notebook.
        var peak = memory.PeakBytes;
        ProcessMemory.Release();

        Directory.CreateDirectory(outputFolder);
        var executedPath = Path.Combine(outputFolder, name);
        AtomicFile.Write(executedPath, temp => File.WriteAllText(temp, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        return new NotebookRun(name, watch.Elapsed, failure, metrics, allOutputs, executedPath, peak, updates);
    }

    /// <summary>A C# kernel wired like the dotnet-interactive tool's: NuGet directive, kernel helpers, value sharing.</summary>
    public static CSharpKernel CreateCSharpKernel() =>
        new CSharpKernel()
            .UseNugetDirective((k, resolved) =>
            {
                k.AddAssemblyReferences(resolved.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseValueSharing();

    /// <summary>
    /// The cell with its <c>#r "…AutoencoderNotebooks.dll"</c> and <c>#r "…AutoencoderNotebooks.Notebook.dll"</c> pointing
    /// at the libraries this process runs, so a notebook executed here (tests, runner; Debug or Release) uses exactly
    /// the build being tested.
    /// </summary>
    public static string WithLoadedLibrary(string source) =>
        LibraryReference().Replace(source, m => $"#r \"{(m.Groups[1].Success ? typeof(Course) : typeof(CourseMetrics)).Assembly.Location.Replace("\\", "/")}\"");

    [System.Text.RegularExpressions.GeneratedRegex("^#r \"[^\"]*AutoencoderNotebooks(\\.Notebook)?\\.dll\"", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex LibraryReference();

    private static CellFailure? Collect(IEnumerable<KernelEvent> events, JsonArray outputs, int executionCount, string notebook, int cell)
    {
        var displayIndex = new Dictionary<string, JsonObject>();
        foreach (var e in events)
        {
            switch (e)
            {
                case StandardOutputValueProduced o:
                    AddStream(outputs, "stdout", o.FormattedValues);
                    break;
                case StandardErrorValueProduced o:
                    AddStream(outputs, "stderr", o.FormattedValues);
                    break;
                case ReturnValueProduced r:
                    var result = Data(r.FormattedValues);
                    result["output_type"] = "execute_result";
                    result["execution_count"] = executionCount;
                    outputs.Add(result);
                    break;
                case DisplayedValueUpdated u when u.ValueId is not null && displayIndex.TryGetValue(u.ValueId, out var shown):
                    shown["data"] = Data(u.FormattedValues)["data"]!.DeepClone();
                    break;
                case DisplayedValueProduced d:
                    var display = Data(d.FormattedValues);
                    display["output_type"] = "display_data";
                    outputs.Add(display);
                    if (d.ValueId is not null) displayIndex[d.ValueId] = display;
                    break;
                case CommandFailed f:
                    var message = f.Exception?.ToString() ?? f.Message;
                    outputs.Add(new JsonObject
                    {
                        ["output_type"] = "error",
                        ["ename"] = f.Exception?.GetType().Name ?? "Error",
                        ["evalue"] = f.Message,
                        ["traceback"] = new JsonArray(message.Split('\n').Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
                    });
                    return new CellFailure(notebook, cell, f.Message);
            }
        }
        return null;
    }

    // Consecutive writes to one stream become one output, as Jupyter shows them.
    private static void AddStream(JsonArray outputs, string name, IEnumerable<FormattedValue> values)
    {
        var text = string.Concat(values.Where(v => v.MimeType == PlainTextFormatter.MimeType).Select(v => v.Value));
        if (outputs.Count > 0 && outputs[^1] is JsonObject last && (string?)last["output_type"] == "stream" && (string?)last["name"] == name)
        {
            last["text"] = (string?)last["text"] + text;
            return;
        }
        outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text });
    }

    private static JsonObject Data(IEnumerable<FormattedValue> values)
    {
        var data = new JsonObject();
        foreach (var v in values) data[v.MimeType] = v.Value;
        return new JsonObject { ["data"] = data, ["metadata"] = new JsonObject() };
    }

    private static async Task<IReadOnlyList<MetricRecord>> ReadMetricsAsync(Kernel kernel, CSharpKernel csharp)
    {
        var code = $"var {MetricsVariable} = AutoencoderNotebooks.Chapters.CourseMetrics.ToJson();";
        var result = await kernel.SendAsync(new SubmitCode(code, csharp.Name));
        if (result.Events.OfType<CommandFailed>().Any() || !csharp.TryGetValue<string>(MetricsVariable, out var json))
            return [];
        return JsonSerializer.Deserialize<List<MetricRecord>>(json) ?? [];
    }
}
