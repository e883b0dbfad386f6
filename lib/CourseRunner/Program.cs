using AutoencoderNotebooks.Book;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Platform;
using CourseRunner;

// dotnet run --project lib/CourseRunner -- [--quick | --pretrained] [notebook name filters...]
//   Executes the notebooks in order and prints notebook, status, seconds and key metrics.
// dotnet run --project lib/CourseRunner -- student
//   Writes the student edition (worked solutions removed) to artifacts/student/ (every run does too).
// dotnet run --project lib/CourseRunner -- export-pretrained
//   Writes the full-mode models in artifacts/models/full to pretrained/ (float16, SHA-256 manifest) for pretrained mode.
// dotnet run --project lib/CourseRunner -- benchmark
//   Measures training throughput (samples/s, GFLOP/s) of the course's models against this machine's limit.
// dotnet run --project lib/CourseRunner -- fix-native
//   Applies the TorchSharp libstdc++ fix (the build runs this itself).
// dotnet run --project lib/CourseRunner -- make-sample /usr/share/datasets/fashion-mnist
//   Recreates data/sample from the full data set.
ChildProcesses.Install(); // whatever ends this process ends the processes it starts
if (args is ["fix-native"])
{
    LibTorchSharpNativeFix.EnsureLoadable(Console.Out);
    return 0;
}
if (args is ["make-sample", var source])
{
    // How data/sample was made: the first images of each split of Debian's Fashion-MNIST.
    var target = Path.Combine(RepositoryLayout.Find().Root, "data", DataLocator.SampleFolder, DatasetSpec.FashionMnist.FolderName);
    Datasets.WriteSample(DatasetSpec.FashionMnist, source, target, SampleSize.Train, SampleSize.Test);
    Console.WriteLine($"Wrote {SampleSize.Train} training and {SampleSize.Test} test images to {target}.");
    return 0;
}
if (args is [NotebookProcess.Command, var one, var oneMode, var summary])
{
    PrepareTorch(TextWriter.Null);
    return await NotebookProcess.RunHereAsync(one, RunModes.Parse(oneMode), summary);
}
if (args is ["student"])
{
    try
    {
        var written = StudentEdition.Write(RepositoryLayout.Find().Notebooks(), Path.Combine(RepositoryPaths.Artifacts(), StudentEdition.FolderName));
        Console.WriteLine($"Wrote {written.Count} student notebooks (solutions removed) to {Path.GetDirectoryName(written[0])}.");
        return 0;
    }
    catch (InvalidDataException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}
if (args is [AppGenerator.FolderName])
{
    try
    {
        var written = AppGenerator.WriteAll(RepositoryLayout.Find());
        Console.WriteLine($"Wrote {written.Count} file-based apps to {Path.GetDirectoryName(written[0])}; run one with `dotnet run {AppGenerator.FolderName}/<chapter>.cs -- --quick`.");
        return 0;
    }
    catch (InvalidDataException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}
if (args is ["export-pretrained"])
{
    PrepareTorch(Console.Out);
    var fullModels = Path.Combine(RepositoryPaths.Artifacts(), "models", "full");
    if (!Directory.Exists(fullModels) || !Directory.EnumerateFiles(fullModels, "*.json").Any())
    {
        Console.Error.WriteLine($"No full-mode models in {fullModels}: run `dotnet run --project lib/CourseRunner` (full mode) first.");
        return 2;
    }
    using var sample = Datasets.Load(RunMode.Quick);
    var shipped = PretrainedWeights.Course();
    var manifest = shipped.Export(fullModels, sample.Test);
    Console.WriteLine($"Exported {manifest.Files.Count} models ({manifest.Files.Sum(f => f.Bytes) / 1e6:F1} MB) to {shipped.Folder}.");
    return 0;
}
if (args is [BenchmarkCommand.KernelCommand, var caseIndex, var resultPath])
{
    LibTorchSharpNativeFix.EnsureLoadable(TextWriter.Null);
    return await BenchmarkCommand.RunInKernelAsync(RepositoryLayout.Find(), int.Parse(caseIndex, System.Globalization.CultureInfo.InvariantCulture), resultPath);
}
// The commands that train (the benchmark, the course run and the children they start) run under the heap setting;
// the ones above do not restart, so a build's fix-native step stays one process.
if (await RunnerProcess.WithTunedHeapAsync(args) is { } exitCode) return exitCode;
if (args is ["benchmark"])
{
    PrepareTorch(Console.Out);
    return await BenchmarkCommand.RunAsync(RepositoryLayout.Find(), Console.Out);
}
if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine("usage: dotnet run --project lib/CourseRunner -- [--quick | --pretrained] [name filter ...]");
    Console.WriteLine("  --quick       bundled data sample and few epochs (what CI runs); default: full mode");
    Console.WriteLine("  --pretrained  full data, the shipped full-mode weights in pretrained/ instead of training (a live class)");
    Console.WriteLine("  (neither: the mode AUTOENCODER_RUN_MODE names, else full)");
    Console.WriteLine($"  threads: {CourseThreads.Variable}=N (default {CourseThreads.Default}, the thread count the course's numbers were measured with)");
    Console.WriteLine("  --apps        run each chapter through its file-based app (apps/*.cs) instead of the notebook kernel");
    Console.WriteLine("  --time-limit M  stop a notebook that runs longer than M minutes (default 120, quick mode 30)");
    Console.WriteLine("  filters   run only notebooks whose file name contains one of them, e.g. 01");
    Console.WriteLine("  after a run: the HTML book in artifacts/site/, the student edition in artifacts/student/");
    Console.WriteLine("usage: dotnet run --project lib/CourseRunner -- student");
    Console.WriteLine("  writes only the student edition (solutions removed) to artifacts/student/");
    Console.WriteLine("usage: dotnet run --project lib/CourseRunner -- apps");
    Console.WriteLine("  writes every chapter as a C# file-based app to apps/ (from its notebook; no notebook host needed to run it)");
    Console.WriteLine("usage: dotnet run --project lib/CourseRunner -- export-pretrained");
    Console.WriteLine("  after a full run: writes its models to pretrained/ (float16, with a SHA-256 manifest)");
    Console.WriteLine("usage: dotnet run --project lib/CourseRunner -- benchmark");
    Console.WriteLine("  training throughput of the course's models: loop vs fixed-batch ceiling vs this machine's torch.mm limit");
    return 0;
}
TimeSpan? timeLimit = null;
if (Array.IndexOf(args, "--time-limit") is var limitAt and >= 0)
{
    if (limitAt + 1 >= args.Length || !double.TryParse(args[limitAt + 1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var minutes) || !(minutes > 0))
    {
        Console.Error.WriteLine($"--time-limit needs a positive number of minutes, e.g. --time-limit 45; got {(limitAt + 1 < args.Length ? $"'{args[limitAt + 1]}'" : "nothing")}.");
        return 2;
    }
    timeLimit = TimeSpan.FromMinutes(minutes);
    args = [.. args[..limitAt], .. args[(limitAt + 2)..]];
}
var viaApps = args.Contains("--apps");
args = [.. args.Where(a => a != "--apps")];
var unknown = args.Where(a => a.StartsWith('-') && a is not ("--quick" or "--pretrained")).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown option {unknown[0]}; see --help.");
    return 2;
}

if (args.Contains("--quick") && args.Contains("--pretrained"))
{
    Console.Error.WriteLine("Choose one of --quick and --pretrained.");
    return 2;
}
RunMode mode;
try
{
    // A flag wins; without one, the variable the notebooks read too (a mode set for a notebook session is honoured).
    mode = args.Contains("--quick") ? RunMode.Quick : args.Contains("--pretrained") ? RunMode.Pretrained : RunModes.FromEnvironment();
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"{e.Message.Split(" (Parameter")[0]} Or pass --quick or --pretrained.");
    return 2;
}
try
{
    // Read here so a bad value stops the run before its first notebook, not inside each one's setup cell.
    CourseThreads.FromEnvironment();
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message.Split(" (Parameter")[0]);
    return 2;
}
var filters = args.Where(a => !a.StartsWith('-')).ToList();
var repo = RepositoryLayout.Find();
var notebooks = repo.Notebooks().Where(n => filters.Count == 0 || filters.Any(f => Path.GetFileName(n).Contains(f, StringComparison.OrdinalIgnoreCase))).ToList();
if (notebooks.Count == 0)
{
    Console.Error.WriteLine($"No notebook in {repo.NotebooksFolder} matches {string.Join(", ", filters)}.");
    return 2;
}

PrepareTorch(Console.Out);
Console.WriteLine(viaApps
    ? $"Running {notebooks.Count} chapter(s) through their file-based apps in {mode} mode; pages and executed copies go to {Path.Combine(RepositoryPaths.Artifacts(), AppGenerator.FolderName)}."
    : $"Running {notebooks.Count} notebook(s) in {mode} mode; executed copies go to {repo.ArtifactsFolder}.");
var runs = new List<NotebookRun>();
foreach (var notebook in notebooks)
{
    Console.WriteLine($"▶ {Path.GetFileName(notebook)}");
    var run = viaApps ? await AppProcess.RunAsync(repo, notebook, mode, timeLimit) : await NotebookProcess.RunAsync(notebook, mode, timeLimit);
    runs.Add(run);
    if (run.Failure is not null) Console.WriteLine($"  ✗ {run.Failure}");
}

Console.WriteLine();
Console.WriteLine(ResultTable.Format(runs, mode));
Console.WriteLine($"Measured on {CpuInfo.Describe()}.");
var site = CourseSite.Write(runs, mode, Path.Combine(RepositoryPaths.Artifacts(), CourseSite.FolderName));
Console.WriteLine($"HTML book: {site}");
var studentWritten = true;
try
{
    var student = StudentEdition.Write(repo.Notebooks(), Path.Combine(RepositoryPaths.Artifacts(), StudentEdition.FolderName));
    Console.WriteLine($"Student edition (solutions removed): {Path.GetDirectoryName(student[0])}");
}
catch (InvalidDataException e)
{
    Console.WriteLine($"Student edition not written: {e.Message}");
    studentWritten = false;
}
var ok = studentWritten && runs.All(r => r.Succeeded) && (mode == RunMode.Quick || runs.SelectMany(r => r.Metrics).All(m => m.Passed != false));
return ok ? 0 : 1;

// What every command that runs tensors needs first: a loadable TorchSharp and the course's heap settings.
static void PrepareTorch(TextWriter log)
{
    LibTorchSharpNativeFix.EnsureLoadable(log);
    NativeHeap.Tune();
}
