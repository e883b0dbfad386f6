using AutoencoderNotebooks.Platform;
using System.Globalization;
using System.Text.Json;

namespace AutoencoderNotebooks.Chapters;

/// <summary>A quality bar a metric must meet: <c>value &lt;= limit</c> or <c>value &gt;= limit</c>. (chapter 0)</summary>
public sealed record Bar(string Comparison, double Limit)
{
    /// <summary>The value must not exceed <paramref name="limit"/>.</summary>
    public static Bar AtMost(double limit) => new("<=", limit);

    /// <summary>The value must reach at least <paramref name="limit"/>.</summary>
    public static Bar AtLeast(double limit) => new(">=", limit);

    /// <summary>The value must be strictly greater than <paramref name="limit"/>.</summary>
    public static Bar Above(double limit) => new(">", limit);

    /// <summary>Whether <paramref name="value"/> meets the bar.</summary>
    public bool Holds(double value) => Comparison switch
    {
        "<=" => value <= Limit,
        ">=" => value >= Limit,
        ">" => value > Limit,
        _ => throw new InvalidOperationException($"Unknown comparison '{Comparison}'."),
    };

    /// <inheritdoc />
    public override string ToString() => $"{Comparison} {Limit.ToString("G6", CultureInfo.InvariantCulture)}";
}

/// <summary>One key result of a notebook, with the bar it is held to (if any). (chapter 0)</summary>
public sealed record MetricRecord(string Name, double Value, string? Bar, bool? Passed);

/// <summary>
/// The key results a notebook reports, for the course-run table and the notebook tests (chapter 0).
/// </summary>
public static class CourseMetrics
{
    private static readonly List<MetricRecord> Records = [];

    /// <summary>Everything recorded since the last notebook setup (<c>Course.Setup</c>).</summary>
    public static IReadOnlyList<MetricRecord> All => Records;

    /// <summary>Records a result (replacing one of the same name) and returns it for display.</summary>
    public static MetricRecord Record(string name, double value, Bar? bar = null)
    {
        Records.RemoveAll(r => r.Name == name);
        var record = new MetricRecord(name, value, bar?.ToString(), bar?.Holds(value));
        Records.Add(record);
        return record;
    }

    /// <summary>Forgets all records.</summary>
    public static void Clear() => Records.Clear();

    /// <summary>The records as JSON, read by the course runner after a notebook finishes.</summary>
    public static string ToJson() => JsonSerializer.Serialize(Records, LibraryJson.Compact);
}
