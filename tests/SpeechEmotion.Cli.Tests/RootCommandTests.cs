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

    [Fact]
    public void EachCommandNameBuildsOnlyThatCommand()
    {
        // The lazy root must know every command by the name it declares; a mismatch would make that command
        // unreachable or build the whole tree.
        var all = Program.BuildRoot().Subcommands.Select(c => c.Name).ToArray();
        Assert.Contains("features", all);
        Assert.Contains("serve", all);
        Assert.Equal(all.Length, all.Distinct().Count());
        foreach (var name in all)
            Assert.Equal([name], Program.BuildRoot([name, "--help"]).Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void UnknownCommandStillSeesEveryCommand()
    {
        Assert.Equal(Program.BuildRoot().Subcommands.Count, Program.BuildRoot(["featurs"]).Subcommands.Count);
        var (code, _, err) = CliRunner.Run("featurs");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("featurs", err);
    }
}
