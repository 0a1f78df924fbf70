namespace SpeechEmotion.Cli.Tests;

/// <summary><c>ser datasets inspect</c>, <c>ser audit</c> and <c>ser cache</c>.</summary>
public sealed class CorporaCommandTests : IDisposable
{
    private readonly string _tmp = Path.Combine(Path.GetTempPath(), "ser-cli-corpora-" + Guid.NewGuid().ToString("N"));

    public CorporaCommandTests() => Directory.CreateDirectory(_tmp);

    public void Dispose()
    {
        try { Directory.Delete(_tmp, recursive: true); } catch (IOException) { }
    }

    internal static string Datasets()
    {
        var env = Environment.GetEnvironmentVariable("SER_SHARED");
        if (!string.IsNullOrEmpty(env)) return Path.Combine(env, "datasets");
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var c = Path.Combine(d.FullName, "shared", "datasets");
            if (Directory.Exists(c)) return c;
        }
        throw new DirectoryNotFoundException("shared/datasets not found; set SER_SHARED");
    }

    /// <summary>A small RAVDESS tree: actors 01–03, 6 real takes each, plus problem files.</summary>
    private string SmallRavdess()
    {
        var root = Path.Combine(_tmp, "ravdess");
        foreach (var actor in new[] { "01", "02", "03" })
        {
            var src = Path.Combine(Datasets(), "ravdess-speech-16k", "Actor_" + actor);
            Directory.CreateDirectory(Path.Combine(root, "Actor_" + actor));
            foreach (var f in Directory.GetFiles(src, "*.wav").Order().Take(6))
                File.Copy(f, Path.Combine(root, "Actor_" + actor, Path.GetFileName(f)));
        }
        File.WriteAllText(Path.Combine(root, "Actor_01", "03-01-03-01-01-01-01.wav"), "not audio"); // unreadable
        File.WriteAllText(Path.Combine(root, "Actor_01", "take1.wav"), "");                         // misnamed
        File.WriteAllText(Path.Combine(root, "Actor_02", "03-01-09-01-01-01-02.wav"), "");          // unknown label
        File.Copy(Path.Combine(root, "Actor_01", "03-01-01-01-01-01-01.wav"), Path.Combine(root, "Actor_01", "03-01-02-02-02-02-01.wav")); // duplicate audio
        return root;
    }

    [Fact]
    public void Datasets_inspect_counts_and_lists_problems()
    {
        var root = SmallRavdess();
        var (code, output, err) = CliRunner.Run("datasets", "inspect", root, "--corpus", "ravdess");
        Assert.True(code == 0, err);
        Assert.Contains("ravdess at", output);
        Assert.Contains("20 utterances", output);
        Assert.Matches(@"neutral\s+12", output);
        Assert.Matches(@"01\s+8", output);
        Assert.Matches(@"\bmale\s+14", output);
        Assert.Contains("classes with no utterance: sad, angry, fearful, disgust, surprised", output);
        Assert.Contains("Misnamed 1", output);
        Assert.Contains("UnknownLabel 1", output);
        Assert.Contains("Unreadable 1", output);
        Assert.Contains("Duplicate 1", output);
        Assert.Contains("take1.wav", output);
        Assert.Contains("03-01-09-01-01-01-02.wav", output);

        var (jcode, json, _) = CliRunner.Run("datasets", "inspect", root, "--corpus", "ravdess", "--json", "--no-decode");
        Assert.Equal(0, jcode);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(20, doc.RootElement.GetProperty("utterances").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("issues").GetArrayLength());
    }

    [Fact]
    public void Datasets_inspect_bad_input()
    {
        var (code, _, err) = CliRunner.Run("datasets", "inspect", Path.Combine(_tmp, "nope"), "--corpus", "ravdess");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("does not exist", err);
        (code, _, err) = CliRunner.Run("datasets", "inspect", _tmp, "--corpus", "nosuch");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("unknown corpus 'nosuch'", err);
        (code, _, _) = CliRunner.Run("datasets", "inspect", _tmp);
        Assert.Equal(ExitCodes.Usage, code);
    }

    [Fact]
    public void Audit_generates_saves_and_rechecks_a_split_and_flags_copies()
    {
        var root = SmallRavdess();
        File.Delete(Path.Combine(root, "Actor_01", "03-01-03-01-01-01-01.wav"));
        var split = Path.Combine(_tmp, "split.json");
        var (code, output, err) = CliRunner.Run("audit", "--corpus", "ravdess", "--data", root, "--protocol", "loso", "--save", split);
        // The duplicate file planted in Actor_01 sits beside its original: same speaker, same side — clean.
        Assert.True(code == 0, output + err);
        Assert.Contains("clean", output);
        Assert.True(File.Exists(split));

        (code, output, _) = CliRunner.Run("audit", split, "--no-audio");
        Assert.Equal(0, code);
        Assert.Contains("audio compared: no", output);

        // Move a copy of an Actor_01 take into Actor_02 under an Actor_02 name: a cross-speaker copy.
        File.Copy(Path.Combine(root, "Actor_01", "03-01-01-01-02-01-01.wav"), Path.Combine(root, "Actor_02", "03-01-02-02-02-02-02.wav"));
        (code, output, err) = CliRunner.Run("audit", "--corpus", "ravdess", "--data", root, "--protocol", "loso");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("LEAKY", output);
        Assert.Contains("IdenticalAudio", output);
        Assert.Contains("--allow-leakage", err);
        (code, output, _) = CliRunner.Run("audit", "--corpus", "ravdess", "--data", root, "--protocol", "loso", "--allow-leakage");
        Assert.Equal(0, code);
        Assert.Contains("LEAKAGE ALLOWED", output);
    }

    [Fact]
    public void Audit_usage_and_bad_files()
    {
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("audit").Code);
        var bad = Path.Combine(_tmp, "bad.json");
        File.WriteAllText(bad, "{}");
        var (code, _, err) = CliRunner.Run("audit", bad);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("bad.json", err);
    }

    [Fact]
    public void Cache_info_and_clear()
    {
        var dir = Path.Combine(_tmp, "cache");
        var (code, output, _) = CliRunner.Run("cache", "info", "--dir", dir);
        Assert.Equal(0, code);
        Assert.Contains("does not exist yet", output);
        var set = Path.Combine(dir, "logmel-0123456789abcdef", "ab");
        Directory.CreateDirectory(set);
        File.WriteAllBytes(Path.Combine(set, new string('a', 64) + ".sfc"), new byte[100]);
        (code, output, _) = CliRunner.Run("cache", "info", "--dir", dir, "--verify");
        Assert.Equal(0, code);
        Assert.Contains("entries: 1", output);
        Assert.Contains("1 corrupt", output);
        (code, output, _) = CliRunner.Run("cache", "clear", "--dir", dir);
        Assert.Equal(0, code);
        Assert.Contains("removed 1 file(s)", output);
        Assert.Contains("entries: 0", CliRunner.Run("cache", "info", "--dir", dir).Out);
    }
}
