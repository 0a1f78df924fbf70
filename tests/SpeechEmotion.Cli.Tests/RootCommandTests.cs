namespace SpeechEmotion.Cli.Tests;

public class RootCommandTests
{
    [Fact]
    public void HelpListsCommands()
    {
        var (code, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("info", output);
    }

    [Fact]
    public void UnknownOptionIsAUsageError()
    {
        var (code, _, err) = CliRunner.Run("--no-such-option");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("no-such-option", err);
    }

    [Fact]
    public void VersionPrintsTheAssemblyVersion()
    {
        var (code, output, _) = CliRunner.Run("--version");
        Assert.Equal(0, code);
        Assert.StartsWith("0.1.0", output.Trim());
    }
}
