namespace SpeechEmotion.Cli.Tests;

public sealed class ServeCommandTests
{
    [Fact]
    public void MissingModelIsBadInputNamingTheFile()
    {
        var (code, _, err) = CliRunner.Run("serve", "--port", "0", "--model", "/nonexistent/dir/x.sermodel");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("x.sermodel", err);
    }

    [Fact]
    public void InvalidOptionsAreBadInputListingEachProblem()
    {
        var (code, _, err) = CliRunner.Run("serve", "--port", "70000", "--concurrency", "0", "--model", "m.sermodel");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("Port", err);
        Assert.Contains("MaxConcurrentRequests", err);
    }

    [Fact]
    public void HelpListsTheOptions()
    {
        var (code, output, _) = CliRunner.Run("serve", "--help");
        Assert.Equal(ExitCodes.Ok, code);
        foreach (var o in new[] { "--port", "--model", "--api-key", "--max-seconds", "--cors" }) Assert.Contains(o, output);
    }
}
