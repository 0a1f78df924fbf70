using System.Globalization;
using System.Text.RegularExpressions;

namespace SpeechEmotion.Corpora;

/// <summary>
/// ShEMO (Mohamad Nezami et al. 2019), Persian: <c>female/F01A01.wav</c>, <c>male/M01N01.wav</c> — gender
/// letter, speaker number, emotion letter (A anger, H happiness, N neutral, S sadness, W surprise, F fear),
/// utterance number. The speaker id is gender letter + number ("F01").
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
        });
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
