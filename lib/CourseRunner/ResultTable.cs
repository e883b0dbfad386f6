using System.Globalization;
using System.Text;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Core;

namespace CourseRunner;

/// <summary>The course-run summary: one row per notebook metric, with its bar and verdict. (chapter 0)</summary>
public static class ResultTable
{
    /// <summary>Formats <paramref name="runs"/> as a fixed-width text table.</summary>
    public static string Format(IReadOnlyList<NotebookRun> runs, RunMode mode)
    {
        var rows = new List<string[]> { new[] { "notebook", "status", "seconds", "peak MB", "metric", "value", "bar", "" } };
        foreach (var run in runs)
        {
            var status = run.Succeeded ? "ok" : run.Failure!.Cell > 0 ? $"FAILED (cell {run.Failure.Cell})" : "FAILED";
            var seconds = run.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
            var peak = run.PeakMemoryBytes is { } bytes ? (bytes / 1e6).ToString("F0", CultureInfo.InvariantCulture) : "?";
            if (run.Metrics.Count == 0)
            {
                rows.Add([run.Notebook, status, seconds, peak, "", "", "", ""]);
                continue;
            }
            for (var i = 0; i < run.Metrics.Count; i++)
            {
                var m = run.Metrics[i];
                var verdict = Verdict(m, mode);
                rows.Add(i == 0
                    ? [run.Notebook, status, seconds, peak, m.Name, Value(m.Value), m.Bar ?? "", verdict]
                    : ["", "", "", "", m.Name, Value(m.Value), m.Bar ?? "", verdict]);
            }
        }
        var text = new StringBuilder(Layout(rows, rightAligned: c => c is 2 or 3 or 5));
        if (runs.Max(r => r.PeakMemoryBytes) is { } highest)
            text.AppendLine($"Peak resident memory of the whole run: {highest / 1e6:F0} MB (each notebook runs in a process of its own, as in a notebook front end).");
        return text.ToString();
    }

    /// <summary>
    /// Rows as fixed-width text: columns as wide as their widest cell, two spaces apart, a rule under the first row
    /// (the header); numbers right-aligned where <paramref name="rightAligned"/> says so.
    /// </summary>
    public static string Layout(IReadOnlyList<string[]> rows, Func<int, bool> rightAligned)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => rightAligned(c) ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
            if (index == 0) text.AppendLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        }
        return text.ToString();
    }

    /// <summary>A metric's verdict: pass, MISS, "(quick)" for a miss in quick mode (its bars are the full run's), or nothing without a bar.</summary>
    public static string Verdict(MetricRecord metric, RunMode mode) =>
        metric.Passed switch { null => "", true => "pass", false => mode == RunMode.Quick ? "(quick)" : "MISS" };

    /// <summary>A metric value as the table and the HTML book show it.</summary>
    public static string Value(double v) => Math.Abs(v) >= 1000 || v == Math.Round(v)
        ? v.ToString("0.##", CultureInfo.InvariantCulture)
        : v.ToString("G4", CultureInfo.InvariantCulture);
}
