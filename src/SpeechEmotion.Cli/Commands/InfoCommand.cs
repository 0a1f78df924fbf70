using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SpeechEmotion.Audio;
using Spectre.Console;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser info FILE...</c>: format, encoding, channels, rate, duration, peak, RMS.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Audio files to describe.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per file (one per line)." };
        var cmd = new Command("info", "Describe audio files: format, encoding, channels, rate, duration, peak, RMS.");
        cmd.Arguments.Add(files);
        cmd.Options.Add(json);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            bool asJson = parse.GetValue(json);
            var infos = new List<AudioInfo>();
            var failures = new List<(string Path, string Message)>();
            foreach (var file in parse.GetValue(files) ?? [])
            {
                // One bad file must not hide the others: describe them all, report failures at the end.
                try
                {
                    var info = AudioInfo.Describe(file.FullName) with { Path = file.ToString() };
                    infos.Add(info);
                    if (asJson) output.WriteLine(ToJson(info));
                }
                catch (SpeechEmotionException e)
                {
                    failures.Add((file.ToString(), e.Message));
                    if (asJson) output.WriteLine(ErrorJson(file.ToString(), e.Message));
                }
            }
            if (!asJson && infos.Count > 0) WriteTable(output, infos);
            foreach (var (_, message) in failures) error.WriteLine($"error: {message}");
            if (failures.Count > 0)
                error.WriteLine($"{failures.Count} of {failures.Count + infos.Count} file(s) could not be read.");
            return failures.Count > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
        });
        return cmd;
    }

    private static void WriteTable(TextWriter output, List<AudioInfo> infos)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in new[] { "file", "format", "encoding", "channels", "rate (Hz)", "duration (s)", "peak (dBFS)", "RMS (dBFS)" })
            table.AddColumn(new TableColumn(h));
        foreach (var c in table.Columns.Skip(3)) c.RightAligned();
        foreach (var i in infos)
            table.AddRow(Markup.Escape(i.Path), Markup.Escape(i.Source.Container), Markup.Escape(i.Source.Codec),
                i.Source.Channels.ToString(CultureInfo.InvariantCulture), i.Source.SampleRate.ToString(CultureInfo.InvariantCulture),
                i.Duration.ToString("F3", CultureInfo.InvariantCulture), Db(i.PeakDbfs), Db(i.RmsDbfs));
        console.Write(table);
    }

    private static string Db(double db) => double.IsFinite(db) ? db.ToString("F2", CultureInfo.InvariantCulture) : "-inf";

    private static string ToJson(AudioInfo i)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("file", i.Path);
            w.WriteString("container", i.Source.Container);
            w.WriteString("encoding", i.Source.Encoding.ToString());
            w.WriteString("codec", i.Source.Codec);
            w.WriteNumber("bits_per_sample", i.Source.BitsPerSample);
            w.WriteNumber("channels", i.Source.Channels);
            w.WriteNumber("sample_rate", i.Source.SampleRate);
            w.WriteNumber("frames", i.Frames);
            w.WriteNumber("duration_s", Math.Round(i.Duration, 6));
            w.WriteNumber("peak", Math.Round(i.Peak, 6));
            WriteDb(w, "peak_dbfs", i.PeakDbfs);
            w.WriteNumber("rms", Math.Round(i.Rms, 6));
            WriteDb(w, "rms_dbfs", i.RmsDbfs);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteDb(Utf8JsonWriter w, string name, double db)
    {
        if (double.IsFinite(db)) w.WriteNumber(name, Math.Round(db, 3));
        else w.WriteNull(name); // digital silence: -inf has no JSON form
    }

    private static string ErrorJson(string path, string message)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("file", path);
            w.WriteString("error", message);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }
}
