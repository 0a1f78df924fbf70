using System.Text.Json;

namespace SpeechEmotion.Cli.Tests;

public class InfoCommandTests
{
    private static string Sample(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "samples", name);
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException(name);
    }

    [Fact]
    public void PrintsATableForSampleClips()
    {
        var (code, output, err) = CliRunner.Run("info", Sample("angry-actor03.wav"), Sample("sad-actor15.wav"));
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains("angry-actor03.wav", output);
        Assert.Contains("sad-actor15.wav", output);
        Assert.Contains("PCM 16-bit", output);
        Assert.Contains("16000", output);
        Assert.Contains("RMS (dBFS)", output);
    }

    [Fact]
    public void JsonGivesOneObjectPerFileWithExactValues()
    {
        var path = Sample("happy-actor06.wav");
        var (code, output, _) = CliRunner.Run("info", "--json", path);
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        var o = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("WAV", o.GetProperty("container").GetString());
        Assert.Equal("PCM 16-bit", o.GetProperty("codec").GetString());
        Assert.Equal(1, o.GetProperty("channels").GetInt32());
        Assert.Equal(16000, o.GetProperty("sample_rate").GetInt32());
        long frames = (new FileInfo(path).Length - 44) / 2;
        Assert.Equal(frames, o.GetProperty("frames").GetInt64());
        Assert.Equal(frames / 16000.0, o.GetProperty("duration_s").GetDouble(), 5);
        // Independent check of the levels from the raw PCM.
        var bytes = File.ReadAllBytes(path);
        double peak = 0, sum = 0;
        for (int i = 44; i + 1 < bytes.Length; i += 2)
        {
            double v = BitConverter.ToInt16(bytes, i) / 32768.0;
            peak = Math.Max(peak, Math.Abs(v));
            sum += v * v;
        }
        Assert.Equal(peak, o.GetProperty("peak").GetDouble(), 5);
        Assert.Equal(20 * Math.Log10(Math.Sqrt(sum / frames)), o.GetProperty("rms_dbfs").GetDouble(), 2);
    }

    [Fact]
    public void BadFileGivesExitThreeButTheOthersAreStillDescribed()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"ser-bad-{Guid.NewGuid():N}.wav");
        File.WriteAllBytes(bad, "RIFF\u0010\0\0\0WAVEfmt "u8.ToArray());
        try
        {
            var (code, output, err) = CliRunner.Run("info", "--json", bad, Sample("angry-actor03.wav"), "/no/such/file.wav");
            Assert.Equal(3, code);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            Assert.True(JsonDocument.Parse(lines[0]).RootElement.TryGetProperty("error", out _));
            Assert.Equal(16000, JsonDocument.Parse(lines[1]).RootElement.GetProperty("sample_rate").GetInt32());
            Assert.Contains("truncated", err);
            Assert.Contains("/no/such/file.wav", err);
            Assert.Contains("2 of 3 file(s) could not be read", err);

            var (tableCode, table, _) = CliRunner.Run("info", bad, Sample("angry-actor03.wav"));
            Assert.Equal(3, tableCode);
            Assert.Contains("angry-actor03.wav", table);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public void NoFilesIsAUsageError()
    {
        var (code, _, _) = CliRunner.Run("info");
        Assert.Equal(2, code);
    }
}
