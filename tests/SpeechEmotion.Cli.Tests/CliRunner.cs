namespace SpeechEmotion.Cli.Tests;

/// <summary>Runs <c>ser</c> in-process and captures what it prints.</summary>
public static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = Program.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}
