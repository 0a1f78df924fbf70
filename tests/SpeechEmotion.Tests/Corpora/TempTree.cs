namespace SpeechEmotion.Tests.Corpora;

/// <summary>A temporary folder with (empty or tiny) files at the given relative paths; deleted on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree(params string[] files)
    {
        Root = Path.Combine(Path.GetTempPath(), "ser-corpora-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        foreach (var f in files) Touch(f);
    }

    public string Root { get; }

    public string this[string relative] => Path.Combine(Root, relative);

    public string Touch(string relative, string content = "")
    {
        var p = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, content);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
