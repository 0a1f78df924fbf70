using System.Globalization;
using System.Text.RegularExpressions;

namespace SpeechEmotion.Corpora;

/// <summary>
/// ShEMO (Mohamad Nezami et al. 2019), Persian: <c>female/F01A01.wav</c>, <c>male/M01N01.wav</c> — gender
/// letter, speaker number, emotion letter (A anger, H happiness, N neutral, S sadness, W surprise, F fear),
/// utterance number. The speaker id is gender letter + number ("F01"). Transcripts, where the release has them,
/// give the text id (so the leakage audit can find the same text across a split): the official <c>shemo.json</c>
/// (a list of records with "id" and "transcript") at the root or one folder down, or a <c>transcript/</c> folder
/// with one text file per utterance named after it (<c>F01A01.txt</c>, <c>.ort</c>, ...; folders whose name mentions
/// "phon" hold the phonetic copy and are skipped). The text id is "t" + the first 12 hex digits of the SHA-256 of the
/// normalised transcript (BOM, zero-width joiners and direction marks removed, punctuation dropped, spaces collapsed).
/// </summary>
public sealed partial class ShemoLoader : FileNameCorpusLoader
{
    private static readonly Dictionary<char, Emotion> Emotions = new()
    {
        ['A'] = Emotion.Angry, ['H'] = Emotion.Happy, ['N'] = Emotion.Neutral, ['S'] = Emotion.Sad,
        ['W'] = Emotion.Surprised, ['F'] = Emotion.Fearful,
    };

    /// <inheritdoc />
    public override IReadOnlyCollection<Emotion> Labels => Emotions.Values;

    /// <inheritdoc />
    public override string Corpus => "shemo";

    /// <inheritdoc />
    protected override string Expected => "files named GSSENN.wav, e.g. female/F01A01.wav";

    [GeneratedRegex(@"^([FM])(\d{2})([A-Z])(\d{2})$")]
    private static partial Regex Name();

    private protected override void Parse(LoadContext ctx, string file)
    {
        var m = MatchStem(Name(), file);
        if (!m.Success) { ctx.Issue(LoadIssueKind.Misnamed, file, $"expected {Expected}"); return; }
        var letter = m.Groups[3].Value[0];
        if (!Emotions.TryGetValue(letter, out var label)) { ctx.Issue(LoadIssueKind.UnknownLabel, file, $"emotion letter '{letter}' is not A/H/N/S/W/F"); return; }
        var g = m.Groups[1].Value;
        ctx.Add(new Utterance
        {
            Id = ctx.IdFor(file), Path = file, Corpus = Corpus, Label = label, OriginalLabel = letter.ToString(),
            Speaker = g + m.Groups[2].Value, Gender = g == "F" ? Gender.Female : Gender.Male,
            TextId = ctx.TextIds.GetValueOrDefault(System.IO.Path.GetFileNameWithoutExtension(file)),
        });
    }

    private static readonly string[] TranscriptExtensions = [".txt", ".ort", ".lab", ".trn", ".text"];

    private protected override void Prepare(LoadContext ctx)
    {
        foreach (var json in new[] { System.IO.Path.Combine(ctx.Root, "shemo.json") }
                     .Concat(Directory.EnumerateDirectories(ctx.Root).Order(StringComparer.Ordinal).Select(d => System.IO.Path.Combine(d, "shemo.json")))
                     .Where(File.Exists))
            ReadJson(ctx, json);
        foreach (var dir in Directory.EnumerateDirectories(ctx.Root, "*", SearchOption.AllDirectories)
                     .Where(d => System.IO.Path.GetFileName(d).StartsWith("transcript", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
            foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var rel = System.IO.Path.GetRelativePath(dir, f);
                if (rel.Contains("phon", StringComparison.OrdinalIgnoreCase) || !TranscriptExtensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant())) continue;
                var stem = System.IO.Path.GetFileNameWithoutExtension(f);
                if (!Name().IsMatch(stem) || ctx.TextIds.ContainsKey(stem)) continue;
                try { Set(ctx, stem, File.ReadAllText(f), f); }
                catch (IOException e) { ctx.Issue(LoadIssueKind.Unreadable, f, $"transcript cannot be read: {e.Message}"); }
            }
    }

    private static void ReadJson(LoadContext ctx, string path)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                ctx.Issue(LoadIssueKind.BadMetadata, path, "expected a JSON list of {id, transcript} records; transcripts not used");
                return;
            }
            int bad = 0;
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                if (e.ValueKind == System.Text.Json.JsonValueKind.Object && e.TryGetProperty("id", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String
                    && e.TryGetProperty("transcript", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    if (!ctx.TextIds.ContainsKey(id.GetString()!)) Set(ctx, id.GetString()!, t.GetString()!, path);
                }
                else bad++;
            }
            if (bad > 0) ctx.Issue(LoadIssueKind.BadMetadata, path, $"{bad} record(s) without a string 'id' and 'transcript' skipped");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException)
        {
            ctx.Issue(LoadIssueKind.BadMetadata, path, $"not valid JSON, transcripts not used: {e.Message}");
        }
    }

    private static void Set(LoadContext ctx, string stem, string text, string source)
    {
        var id = TextId(text);
        if (id is null) { ctx.Issue(LoadIssueKind.BadMetadata, source, $"empty transcript for {stem}"); return; }
        ctx.TextIds[stem] = id;
    }

    /// <summary>The text id of a transcript (see the class remarks), or null when nothing but punctuation and spaces is left.</summary>
    public static string? TextId(string transcript)
    {
        var sb = new System.Text.StringBuilder(transcript.Length);
        bool space = false;
        foreach (var ch in transcript.Normalize(System.Text.NormalizationForm.FormKC))
        {
            if (ch is '\uFEFF' or '\u200C' or '\u200D' or '\u200E' or '\u200F' || char.IsPunctuation(ch) || char.IsSymbol(ch)) continue;
            if (char.IsWhiteSpace(ch)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(char.ToLowerInvariant(ch));
        }
        if (sb.Length == 0) return null;
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sb.ToString()));
        return "t" + Convert.ToHexStringLower(hash)[..12];
    }
}

/// <summary>
/// JL-Corpus (James, Tian &amp; Watson 2018), New Zealand English: <c>female1_angry_10a_1.wav</c> — speaker
/// (female1, female2, male1, male2), emotion (primary: angry, sad, neutral, happy, excited; secondary: anxious,
/// apologetic, assertive, concerned, encouraging), sentence id (text), repetition.
/// </summary>
public sealed partial class JlCorpusLoader : FileNameCorpusLoader
{
    private static readonly Dictionary<string, Emotion> Emotions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["angry"] = Emotion.Angry, ["sad"] = Emotion.Sad, ["neutral"] = Emotion.Neutral, ["happy"] = Emotion.Happy,
        ["excited"] = Emotion.Excited, ["anxious"] = Emotion.Anxious, ["apologetic"] = Emotion.Apologetic,
        ["assertive"] = Emotion.Assertive, ["concerned"] = Emotion.Concerned, ["encouraging"] = Emotion.Encouraging,
    };

    /// <inheritdoc />
    public override IReadOnlyCollection<Emotion> Labels => Emotions.Values;

    /// <inheritdoc />
    public override string Corpus => "jl";

    /// <inheritdoc />
    protected override string Expected => "files named speaker_emotion_sentence_repetition.wav, e.g. female1_angry_10a_1.wav";

    [GeneratedRegex(@"^((?:fe)?male)([12])_([a-z]+)_(\d+[a-z]?)_(\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Name();

    private protected override void Parse(LoadContext ctx, string file)
    {
        var m = MatchStem(Name(), file);
        if (!m.Success) { ctx.Issue(LoadIssueKind.Misnamed, file, $"expected {Expected}"); return; }
        var emo = m.Groups[3].Value.ToLowerInvariant();
        if (!Emotions.TryGetValue(emo, out var label)) { ctx.Issue(LoadIssueKind.UnknownLabel, file, $"emotion '{emo}' is not one of {string.Join("/", Emotions.Keys)}"); return; }
        var g = m.Groups[1].Value.ToLowerInvariant();
        ctx.Add(new Utterance
        {
            Id = ctx.IdFor(file), Path = file, Corpus = Corpus, Label = label, OriginalLabel = emo,
            Speaker = g + m.Groups[2].Value, Gender = g == "female" ? Gender.Female : Gender.Male,
            TextId = m.Groups[4].Value.ToLowerInvariant(),
        }, System.IO.Path.GetFileNameWithoutExtension(file).ToLowerInvariant());
    }
}

/// <summary>
/// ESD (Zhou et al. 2021): <c>SSSS/Emotion/[train|evaluation|test/]SSSS_NNNNNN.wav</c> — speakers 0001–0010
/// Mandarin, 0011–0020 English; emotions Neutral (000001–000350), Angry (351–700), Happy (701–1050),
/// Sad (1051–1400), Surprise (1401–1750). The same 350 sentences are read in every emotion, so the text id is
/// language + ((N−1) mod 350 + 1).
/// </summary>
public sealed partial class EsdLoader : FileNameCorpusLoader
{
    private static readonly (string Folder, Emotion Label)[] Blocks =
        [("Neutral", Emotion.Neutral), ("Angry", Emotion.Angry), ("Happy", Emotion.Happy), ("Sad", Emotion.Sad), ("Surprise", Emotion.Surprised)];
    // Speaker genders as documented in the ESD release notes.
    private static readonly HashSet<int> Female = [1, 2, 3, 7, 9, 15, 16, 17, 18, 19];

    /// <inheritdoc />
    public override IReadOnlyCollection<Emotion> Labels => Blocks.Select(b => b.Label).ToArray();

    /// <inheritdoc />
    public override string Corpus => "esd";

    /// <inheritdoc />
    protected override string Expected => "files named SSSS_NNNNNN.wav in SSSS/<Emotion>/[train|evaluation|test/], e.g. 0011/Angry/train/0011_000351.wav";

    [GeneratedRegex(@"^(\d{4})_(\d{6})$")]
    private static partial Regex Name();

    private protected override void Parse(LoadContext ctx, string file)
    {
        var m = MatchStem(Name(), file);
        if (!m.Success) { ctx.Issue(LoadIssueKind.Misnamed, file, $"expected {Expected}"); return; }
        int speaker = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), n = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (speaker is < 1 or > 20) { ctx.Issue(LoadIssueKind.Misnamed, file, $"speaker {m.Groups[1].Value} is not 0001–0020"); return; }
        if (n is < 1 or > 1750) { ctx.Issue(LoadIssueKind.UnknownLabel, file, $"utterance number {n} is outside 1–1750, so it has no emotion block"); return; }
        var (folderName, label) = Blocks[(n - 1) / 350];
        // The emotion folder is the corpus's own label; a number from another block means a mislabelled file.
        var dirs = System.IO.Path.GetRelativePath(ctx.Root, System.IO.Path.GetDirectoryName(file)!).Split(System.IO.Path.DirectorySeparatorChar);
        var emotionDir = dirs.FirstOrDefault(d => Blocks.Any(b => b.Folder.Equals(d, StringComparison.OrdinalIgnoreCase)));
        if (emotionDir is not null && !emotionDir.Equals(folderName, StringComparison.OrdinalIgnoreCase))
        {
            ctx.Issue(LoadIssueKind.Misnamed, file, $"number {n:000000} belongs to {folderName} but the file is in folder {emotionDir}");
            return;
        }
        var english = speaker >= 11;
        ctx.Add(new Utterance
        {
            Id = ctx.IdFor(file), Path = file, Corpus = Corpus, Label = label, OriginalLabel = folderName,
            Speaker = m.Groups[1].Value, Gender = Female.Contains(speaker) ? Gender.Female : Gender.Male,
            TextId = $"{(english ? "en" : "zh")}-{(n - 1) % 350 + 1:000}",
        });
    }
}
