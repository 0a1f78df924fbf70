using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SpeechEmotion.Benchmarks;

/// <summary>Finds <c>../shared</c> (datasets, references) from the benchmark process; SER_SHARED overrides.</summary>
public static class SharedFolder
{
    public static string Find()
    {
        var env = Environment.GetEnvironmentVariable("SER_SHARED");
        if (!string.IsNullOrEmpty(env)) return env;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (Directory.Exists(Path.Combine(d.FullName, "shared", "datasets"))) return Path.Combine(d.FullName, "shared");
        throw new DirectoryNotFoundException("Cannot find the shared folder; set SER_SHARED.");
    }
}

/// <summary>
/// An "audio-s/s" column: seconds of audio processed per second of wall time. The audio duration is
/// asked for lazily because BenchmarkDotNet builds the summary in the host process, where a
/// benchmark's setup has not run.
/// </summary>
public sealed class AudioSecondsColumn(string id, Func<double> audioSeconds) : IColumn
{
    public string Id => id;
    public string ColumnName => "audio-s/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Seconds of audio processed per second (audio duration / mean time)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        return stats is null ? "NA" : (audioSeconds() / (stats.Mean * 1e-9)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
    }
}
