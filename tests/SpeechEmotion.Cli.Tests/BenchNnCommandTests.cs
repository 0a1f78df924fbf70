namespace SpeechEmotion.Cli.Tests;

public class BenchNnCommandTests
{
    [Fact]
    public void BenchNnBuildsThePeerMlpAndPrintsOneJsonLine()
    {
        var (code, output, err) = CliRunner.Run("bench", "nn", "--model", "functionals-mlp", "--batch", "8", "--steps", "1");
        Assert.True(code == 0, err);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        Assert.Contains("\"parameters\":57093", line.Replace(" ", ""));
    }
}
