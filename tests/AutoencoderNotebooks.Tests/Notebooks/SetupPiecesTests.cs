using System.Reflection;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Notebook;

namespace AutoencoderNotebooks.Tests.Notebooks;

public class SetupPiecesTests
{
    private static readonly Assembly FSharpCore = typeof(Microsoft.FSharp.Core.FSharpOption<int>).Assembly;

    [Fact]
    public void FSharpCore_requests_of_a_newer_minor_version_get_the_loaded_assembly()
    {
        var request = new AssemblyName("FSharp.Core, Version=10.1.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a");
        Assert.Same(FSharpCore, FSharpCoreRedirect.Resolve(request, [typeof(object).Assembly, FSharpCore]));
    }

    [Fact]
    public void Other_assemblies_and_other_major_versions_are_not_redirected()
    {
        Assert.Null(FSharpCoreRedirect.Resolve(new AssemblyName("Plotly.NET, Version=6.0.0.0"), [FSharpCore]));
        Assert.Null(FSharpCoreRedirect.Resolve(new AssemblyName("FSharp.Core, Version=4.7.0.0"), [FSharpCore]));
        Assert.Null(FSharpCoreRedirect.Resolve(new AssemblyName("FSharp.Core, Version=10.1.0.0"), [typeof(object).Assembly]));
    }

    [Theory]
    [InlineData(null, RunMode.Full)]
    [InlineData("", RunMode.Full)]
    [InlineData("full", RunMode.Full)]
    [InlineData(" Quick ", RunMode.Quick)]
    public void Run_mode_is_read_from_the_environment_value(string? value, RunMode expected) =>
        Assert.Equal(expected, RunModes.Parse(value));

    [Fact]
    public void An_unknown_run_mode_names_the_variable_and_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => RunModes.Parse("fast"));
        Assert.Contains(RunModes.Variable, error.Message);
        Assert.Contains("'fast'", error.Message);
        Assert.Contains("quick", error.Message);
    }

    [Theory]
    [InlineData(null, CourseThreads.Default)]
    [InlineData(" ", CourseThreads.Default)]
    [InlineData("1", 1)]
    [InlineData(" 8 ", 8)]
    public void The_thread_count_is_the_course_default_unless_the_environment_sets_it(string? value, int expected) =>
        Assert.Equal(expected, CourseThreads.Parse(value));

    [Theory]
    [InlineData("0")]
    [InlineData("two")]
    [InlineData("-3")]
    public void A_bad_thread_count_names_the_variable_and_what_it_takes(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => CourseThreads.Parse(value));
        Assert.Contains($"{CourseThreads.Variable}='{value}'", error.Message);
        Assert.Contains("whole number", error.Message);
    }

    [Fact]
    public void Metrics_are_judged_against_their_bars_and_replaced_by_name()
    {
        CourseMetrics.Clear();
        CourseMetrics.Record("loss", 0.30, Bar.AtMost(0.2835));
        CourseMetrics.Record("loss", 0.28, Bar.AtMost(0.2835));
        CourseMetrics.Record("accuracy", 0.70, Bar.AtLeast(0.75));
        CourseMetrics.Record("count", 5);

        Assert.Equal(3, CourseMetrics.All.Count);
        Assert.True(CourseMetrics.All.Single(m => m.Name == "loss").Passed);
        Assert.False(CourseMetrics.All.Single(m => m.Name == "accuracy").Passed);
        Assert.Null(CourseMetrics.All.Single(m => m.Name == "count").Passed);
        var roundTrip = System.Text.Json.JsonSerializer.Deserialize<List<MetricRecord>>(CourseMetrics.ToJson())!;
        Assert.Equal(CourseMetrics.All, roundTrip);
        Assert.Equal("<= 0.2835", roundTrip[0].Bar);
        CourseMetrics.Clear();
    }
}
