using System.Text.Json;

namespace SpeechEmotion.Cli.Tests;

public class BenchAugmentCommandTests
{
    [Fact]
    public void Bench_augment_prints_one_json_line_in_audio_seconds_per_second()
    {
        var (code, output, err) = CliRunner.Run("bench", "augment", "--epochs", "1", "--repeats", "1", "--no-per-transform");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output.Trim());
        Assert.Equal("audio_seconds_per_second", doc.RootElement.GetProperty("unit").GetString());
        Assert.True(doc.RootElement.GetProperty("throughput").GetProperty("recipe").GetDouble() > 0);
    }

    [Fact]
    public void Bad_recipe_exits_with_bad_input_and_lists_problems()
    {
        var f = Path.GetTempFileName();
        try
        {
            File.WriteAllText(f, "waveform:\n  - {type: gain, gain_db: loud}\n  - {type: echo}\n");
            var (code, _, err) = CliRunner.Run("bench", "augment", "--recipe", f, "--epochs", "1", "--repeats", "1");
            Assert.Equal(3, code);
            Assert.Contains("line 2", err);
            Assert.Contains("echo", err);
        }
        finally { File.Delete(f); }
    }
}
