using System.Globalization;
using System.Text.RegularExpressions;

namespace SpeechEmotion.Corpora;

/// <summary>
/// RAVDESS (Livingstone &amp; Russo 2018): <c>Actor_AA/MM-VV-EE-II-SS-RR-AA.wav</c> — modality, vocal channel
/// (01 speech, 02 song), emotion (01 neutral … 08 surprised; song has 01–06 only), intensity (01 normal,
/// 02 strong; neutral has no strong), statement, repetition, actor (odd male, even female).
/// </summary>
public sealed partial class RavdessLoader : FileNameCorpusLoader
{
    private static readonly Emotion[] Emotions =
        [Emotion.Neutral, Emotion.Calm, Emotion.Happy, Emotion.Sad, Emotion.Angry, Emotion.Fearful, Emotion.Disgust, Emotion.Surprised];

    /// <summary>Keep the speech part (vocal channel 01). Default true.</summary>
    public bool IncludeSpeech { get; init; } = true;

    /// <summary>Keep the song part (vocal channel 02). Default true.</summary>
    public bool IncludeSong { get; init; } = true;

    /// <inheritdoc />
    public override IReadOnlyCollection<Emotion> Labels => Emotions;

    /// <inheritdoc />
    public override string Corpus => "ravdess";

    /// <inheritdoc />
    protected override string Expected => "files named MM-VV-EE-II-SS-RR-AA.wav, e.g. Actor_01/03-01-05-02-01-01-01.wav";

    [GeneratedRegex(@"^(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})$")]
    private static partial Regex Name();

    [GeneratedRegex(@"^Actor_(\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex ActorFolder();

    private protected override void Parse(LoadContext ctx, string file)
    {
        var m = MatchStem(Name(), file);
        if (!m.Success) { ctx.Issue(LoadIssueKind.Misnamed, file, $"expected {Expected}"); return; }
        int F(int g) => int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        int modality = F(1), channel = F(2), emotion = F(3), intensity = F(4), statement = F(5), repetition = F(6), actor = F(7);
        var problems = new List<string>();
        if (modality is < 1 or > 3) problems.Add($"modality {modality:00} is not 01–03");
        if (channel is < 1 or > 2) problems.Add($"vocal channel {channel:00} is not 01 (speech) or 02 (song)");
        if (intensity is < 1 or > 2) problems.Add($"intensity {intensity:00} is not 01 or 02");
        if (statement is < 1 or > 2) problems.Add($"statement {statement:00} is not 01 or 02");
        if (repetition is < 1 or > 2) problems.Add($"repetition {repetition:00} is not 01 or 02");
        if (actor is < 1 or > 24) problems.Add($"actor {actor:00} is not 01–24");
        if (emotion == 1 && intensity == 2) problems.Add("neutral has no strong intensity");
        var folder = ActorFolder().Match(System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(file)) ?? "");
        if (folder.Success && int.Parse(folder.Groups[1].Value, CultureInfo.InvariantCulture) != actor)
            problems.Add($"actor {actor:00} in the name but the file is in folder Actor_{folder.Groups[1].Value}");
        if (problems.Count > 0) { ctx.Issue(LoadIssueKind.Misnamed, file, string.Join("; ", problems)); return; }
        if (emotion is < 1 or > 8 || (channel == 2 && emotion > 6))
        {
            ctx.Issue(LoadIssueKind.UnknownLabel, file, $"emotion code {emotion:00} is not defined for {(channel == 2 ? "song (01–06)" : "speech (01–08)")}");
            return;
        }
        if (channel == 1 && !IncludeSpeech) { ctx.Exclude("speech (IncludeSpeech=false)"); return; }
        if (channel == 2 && !IncludeSong) { ctx.Exclude("song (IncludeSong=false)"); return; }
        ctx.Add(new Utterance
        {
            Id = ctx.IdFor(file), Path = file, Corpus = Corpus,
            Label = Emotions[emotion - 1], OriginalLabel = emotion.ToString("00", CultureInfo.InvariantCulture),
            Speaker = actor.ToString("00", CultureInfo.InvariantCulture),
            Gender = actor % 2 == 1 ? Gender.Male : Gender.Female,
            Intensity = intensity == 1 ? "normal" : "strong",
            TextId = $"{(channel == 1 ? "speech" : "song")}-statement{statement:00}",
            Elicitation = channel == 1 ? "speech" : "song",
        });
    }
}

/// <summary>
/// CREMA-D (Cao et al. 2014): <c>AudioWAV/AAAA_SSS_EEE_LL.wav</c> — actor 1001–1091, sentence code (12),
/// emotion ANG/DIS/FEA/HAP/NEU/SAD, level LO/MD/HI/XX. Gender comes from <c>VideoDemographics.csv</c>
/// when it is found in the root or its parent.
/// </summary>
public sealed partial class CremaDLoader : FileNameCorpusLoader
{
    private static readonly HashSet<string> Sentences = ["IEO", "TIE", "IOM", "IWW", "TAI", "MTI", "IWL", "ITH", "DFA", "ITS", "TSI", "WSI"];
    private static readonly Dictionary<string, Emotion> Emotions = new()
    {
        ["ANG"] = Emotion.Angry, ["DIS"] = Emotion.Disgust, ["FEA"] = Emotion.Fearful,
        ["HAP"] = Emotion.Happy, ["NEU"] = Emotion.Neutral, ["SAD"] = Emotion.Sad,
    };
    private static readonly HashSet<string> Levels = ["LO", "MD", "HI", "XX"];
    private Dictionary<string, Gender>? _genders;

    /// <inheritdoc />
    public override IReadOnlyCollection<Emotion> Labels => Emotions.Values;

    /// <inheritdoc />
    public override string Corpus => "cremad";

    /// <inheritdoc />
    protected override string Expected => "files named AAAA_SSS_EEE_LL.wav, e.g. AudioWAV/1001_DFA_ANG_XX.wav";

    [GeneratedRegex(@"^(\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})$")]
    private static partial Regex Name();

    private protected override void Parse(LoadContext ctx, string file)
    {
        _genders ??= ReadDemographics(ctx);
        var m = MatchStem(Name(), file);
        if (!m.Success) { ctx.Issue(LoadIssueKind.Misnamed, file, $"expected {Expected}"); return; }
        string actor = m.Groups[1].Value, sentence = m.Groups[2].Value, emo = m.Groups[3].Value, level = m.Groups[4].Value;
        var problems = new List<string>();
        var a = int.Parse(actor, CultureInfo.InvariantCulture);
        if (a is < 1001 or > 1091) problems.Add($"actor {actor} is not 1001–1091");
        if (!Sentences.Contains(sentence)) problems.Add($"sentence code {sentence} is not one of {string.Join("/", Sentences)}");
        if (!Levels.Contains(level)) problems.Add($"level {level} is not LO/MD/HI/XX");
        if (problems.Count > 0) { ctx.Issue(LoadIssueKind.Misnamed, file, string.Join("; ", problems)); return; }
        if (!Emotions.TryGetValue(emo, out var label)) { ctx.Issue(LoadIssueKind.UnknownLabel, file, $"emotion code {emo} is not ANG/DIS/FEA/HAP/NEU/SAD"); return; }
        ctx.Add(new Utterance
        {
            Id = ctx.IdFor(file), Path = file, Corpus = Corpus, Label = label, OriginalLabel = emo,
            Speaker = actor, Gender = _genders.GetValueOrDefault(actor), TextId = sentence,
            Intensity = level == "XX" ? "unspecified" : level,
        });
    }

    // A missing demographics file is not an error: gender stays Unknown.
    private static Dictionary<string, Gender> ReadDemographics(LoadContext ctx)
    {
        var result = new Dictionary<string, Gender>();
        var candidates = new[] { ctx.Root, System.IO.Path.GetDirectoryName(ctx.Root) ?? ctx.Root }
            .Select(d => System.IO.Path.Combine(d, "VideoDemographics.csv"));
        var path = candidates.FirstOrDefault(File.Exists);
        if (path is null) return result;
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return result;
        var header = lines[0].Split(',').Select(h => h.Trim().Trim('"')).ToList();
        int idCol = header.FindIndex(h => h.Equals("ActorID", StringComparison.OrdinalIgnoreCase));
        int sexCol = header.FindIndex(h => h.Equals("Sex", StringComparison.OrdinalIgnoreCase));
        if (idCol < 0 || sexCol < 0) { ctx.Issue(LoadIssueKind.BadMetadata, path, "expected columns ActorID and Sex"); return result; }
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',').Select(c => c.Trim().Trim('"')).ToArray();
            if (cells.Length <= Math.Max(idCol, sexCol)) continue;
            result[cells[idCol]] = cells[sexCol].ToLowerInvariant() switch { "male" => Gender.Male, "female" => Gender.Female, _ => Gender.Unknown };
        }
        return result;
    }
}

/// <summary>
/// TESS (Dupuis &amp; Pichora-Fuller 2010): two female speakers OAF (older) and YAF (younger); files
/// <c>OAF_word_emotion.wav</c> in folders such as <c>OAF_angry</c>; emotions angry, disgust, fear, happy,
/// neutral, ps (pleasant surprise), sad. The target word is the text id.
/// </summary>
public sealed partial class TessLoader : FileNameCorpusLoader
{
    private static readonly Dictionary<string, Emotion> Emotions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["angry"] = Emotion.Angry, ["disgust"] = Emotion.Disgust, ["fear"] = Emotion.Fearful, ["happy"] = Emotion.Happy,
        ["neutral"] = Emotion.Neutral, ["ps"] = Emotion.Surprised, ["sad"] = Emotion.Sad,
    };

    /// <inheritdoc />
    public override IReadOnlyCollection<Emotion> Labels => Emotions.Values;

    /// <inheritdoc />
    public override string Corpus => "tess";

    /// <inheritdoc />
    protected override string Expected => "files named OAF_word_emotion.wav or YAF_word_emotion.wav, e.g. OAF_angry/OAF_back_angry.wav";

    [GeneratedRegex(@"^(OAF|YAF)_([A-Za-z]+)_([A-Za-z]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Name();

    private protected override void Parse(LoadContext ctx, string file)
    {
        var m = MatchStem(Name(), file);
        if (!m.Success) { ctx.Issue(LoadIssueKind.Misnamed, file, $"expected {Expected}"); return; }
        var emo = m.Groups[3].Value;
        if (!Emotions.TryGetValue(emo, out var label)) { ctx.Issue(LoadIssueKind.UnknownLabel, file, $"emotion '{emo}' is not angry/disgust/fear/happy/neutral/ps/sad"); return; }
        ctx.Add(new Utterance
        {
            Id = ctx.IdFor(file), Path = file, Corpus = Corpus, Label = label, OriginalLabel = emo.ToLowerInvariant(),
            Speaker = m.Groups[1].Value.ToUpperInvariant(), Gender = Gender.Female, TextId = m.Groups[2].Value.ToLowerInvariant(),
        }, System.IO.Path.GetFileNameWithoutExtension(file).ToUpperInvariant());
    }
}

/// <summary>
/// SAVEE (Haq &amp; Jackson 2009): four male speakers DC, JE, JK, KL; emotion codes a (anger), d (disgust),
/// f (fear), h (happiness), n (neutral), sa (sadness), su (surprise) followed by a two-digit sentence
/// number. Both the official <c>AudioData/DC/a01.wav</c> layout and the flat <c>DC_a01.wav</c> one are read.
/// The sentence number does not identify the text across emotions, so no text id is set.
/// </summary>
public sealed partial class SaveeLoader : FileNameCorpusLoader
{
    private static readonly Dictionary<string, Emotion> Emotions = new()
    {
        ["a"] = Emotion.Angry, ["d"] = Emotion.Disgust, ["f"] = Emotion.Fearful, ["h"] = Emotion.Happy,
        ["n"] = Emotion.Neutral, ["sa"] = Emotion.Sad, ["su"] = Emotion.Surprised,
    };
    private static readonly HashSet<string> Speakers = ["DC", "JE", "JK", "KL"];

    /// <inheritdoc />
    public override IReadOnlyCollection<Emotion> Labels => Emotions.Values;

    /// <inheritdoc />
    public override string Corpus => "savee";

    /// <inheritdoc />
    protected override string Expected => "AudioData/DC/a01.wav or DC_a01.wav (speakers DC/JE/JK/KL, codes a/d/f/h/n/sa/su + 2 digits)";

    [GeneratedRegex(@"^(?:([A-Za-z]{2})_)?([a-z]{1,2})(\d{2})$")]
    private static partial Regex Name();

    private protected override void Parse(LoadContext ctx, string file)
    {
        var m = MatchStem(Name(), file);
        if (!m.Success) { ctx.Issue(LoadIssueKind.Misnamed, file, $"expected {Expected}"); return; }
        var speaker = m.Groups[1].Success ? m.Groups[1].Value : System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(file)) ?? "";
        speaker = speaker.ToUpperInvariant();
        if (!Speakers.Contains(speaker)) { ctx.Issue(LoadIssueKind.Misnamed, file, $"speaker '{speaker}' is not DC/JE/JK/KL"); return; }
        var code = m.Groups[2].Value;
        if (!Emotions.TryGetValue(code, out var label)) { ctx.Issue(LoadIssueKind.UnknownLabel, file, $"emotion code '{code}' is not a/d/f/h/n/sa/su"); return; }
        ctx.Add(new Utterance
        {
            Id = ctx.IdFor(file), Path = file, Corpus = Corpus, Label = label, OriginalLabel = code,
            Speaker = speaker, Gender = Gender.Male,
        }, $"{speaker}_{code}{m.Groups[3].Value}");
    }
}

/// <summary>
/// Berlin EmoDB (Burkhardt et al. 2005): <c>wav/SSTTTEV.wav</c> — speaker 03…16, text code (a01…b10), emotion
/// letter (W anger, L boredom, E disgust, A fear, F happiness, T sadness, N neutral), version letter.
/// Speakers 03, 10, 11, 12, 15 are male; 08, 09, 13, 14, 16 female.
/// </summary>
public sealed partial class EmoDbLoader : FileNameCorpusLoader
{
    private static readonly Dictionary<char, Emotion> Emotions = new()
    {
        ['W'] = Emotion.Angry, ['L'] = Emotion.Boredom, ['E'] = Emotion.Disgust, ['A'] = Emotion.Fearful,
        ['F'] = Emotion.Happy, ['T'] = Emotion.Sad, ['N'] = Emotion.Neutral,
    };
    private static readonly Dictionary<string, Gender> Genders = new()
    {
        ["03"] = Gender.Male, ["10"] = Gender.Male, ["11"] = Gender.Male, ["12"] = Gender.Male, ["15"] = Gender.Male,
        ["08"] = Gender.Female, ["09"] = Gender.Female, ["13"] = Gender.Female, ["14"] = Gender.Female, ["16"] = Gender.Female,
    };

    /// <inheritdoc />
    public override IReadOnlyCollection<Emotion> Labels => Emotions.Values;

    /// <inheritdoc />
    public override string Corpus => "emodb";

    /// <inheritdoc />
    protected override string Expected => "files named SSTTTEV.wav, e.g. wav/03a01Wa.wav";

    [GeneratedRegex(@"^(\d{2})([ab]\d{2})([A-Z])([a-z])$")]
    private static partial Regex Name();

    private protected override void Parse(LoadContext ctx, string file)
    {
        var m = MatchStem(Name(), file);
        if (!m.Success) { ctx.Issue(LoadIssueKind.Misnamed, file, $"expected {Expected}"); return; }
        var speaker = m.Groups[1].Value;
        if (!Genders.TryGetValue(speaker, out var gender)) { ctx.Issue(LoadIssueKind.Misnamed, file, $"speaker {speaker} is not one of {string.Join(", ", Genders.Keys)}"); return; }
        var letter = m.Groups[3].Value[0];
        if (!Emotions.TryGetValue(letter, out var label)) { ctx.Issue(LoadIssueKind.UnknownLabel, file, $"emotion letter '{letter}' is not W/L/E/A/F/T/N"); return; }
        ctx.Add(new Utterance
        {
            Id = ctx.IdFor(file), Path = file, Corpus = Corpus, Label = label, OriginalLabel = letter.ToString(),
            Speaker = speaker, Gender = gender, TextId = m.Groups[2].Value,
        });
    }
}
