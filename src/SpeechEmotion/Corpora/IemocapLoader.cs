using System.Globalization;
using System.Text.RegularExpressions;

namespace SpeechEmotion.Corpora;

/// <summary>
/// IEMOCAP (Busso et al. 2008), read from <c>IEMOCAP_full_release/SessionN/dialog/EmoEvaluation/*.txt</c>:
/// each turn line "[start - end]  Ses01F_impro01_F000  neu  [V, A, D]" gives the categorical label and the
/// valence/activation/dominance means (1–5). Audio is <c>SessionN/sentences/wav/&lt;dialog&gt;/&lt;turn&gt;.wav</c>;
/// transcripts (<c>dialog/transcriptions</c>) supply the text id when present. The speaker is the session plus
/// the gender letter of the turn (e.g. "Ses01F"), the standard leave-one-session-out grouping is
/// <see cref="Utterance.Session"/>. Use <see cref="LabelMap.Iemocap4"/> for the usual 4-class set (excited→happy).
/// </summary>
public sealed partial class IemocapLoader : ICorpusLoader
{
    private static readonly Dictionary<string, Emotion> Emotions = new()
    {
        ["neu"] = Emotion.Neutral, ["hap"] = Emotion.Happy, ["sad"] = Emotion.Sad, ["ang"] = Emotion.Angry,
        ["exc"] = Emotion.Excited, ["fru"] = Emotion.Frustrated, ["fea"] = Emotion.Fearful, ["sur"] = Emotion.Surprised,
        ["dis"] = Emotion.Disgust, ["oth"] = Emotion.Other, ["xxx"] = Emotion.NoAgreement,
    };

    /// <summary>Keep improvised dialogues. Default true.</summary>
    public bool IncludeImprovised { get; init; } = true;

    /// <summary>Keep scripted dialogues. Default true.</summary>
    public bool IncludeScripted { get; init; } = true;

    /// <inheritdoc />
    public IReadOnlyCollection<Emotion> Labels => Emotions.Values;

    /// <inheritdoc />
    public string Corpus => "iemocap";

    [GeneratedRegex(@"^\[\s*([\d.]+)\s*-\s*([\d.]+)\s*\]\s+(\S+)\s+(\S+)\s+\[\s*([-\d.]+)\s*,\s*([-\d.]+)\s*,\s*([-\d.]+)\s*\]\s*$")]
    private static partial Regex TurnLine();

    [GeneratedRegex(@"^(Ses(\d{2})[FM])_(.+)_([FM])(\d{3})$")]
    private static partial Regex TurnName();

    [GeneratedRegex(@"^(\S+)\s+\[[^\]]*\]:\s*(.*)$")]
    private static partial Regex TranscriptLine();

    [GeneratedRegex(@"^Session(\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SessionFolder();

    /// <inheritdoc />
    public CorpusLoadResult Load(string root)
    {
        var ctx = new LoadContext(Corpus, root);
        var sessions = Directory.EnumerateDirectories(ctx.Root).Where(d => SessionFolder().IsMatch(System.IO.Path.GetFileName(d)))
            .Order(StringComparer.Ordinal).ToList();
        if (sessions.Count == 0)
            throw new CorpusException($"iemocap: no Session1…Session5 folders under '{ctx.Root}' (expected IEMOCAP_full_release/SessionN/dialog/EmoEvaluation).");
        foreach (var session in sessions)
        {
            var evalDir = System.IO.Path.Combine(session, "dialog", "EmoEvaluation");
            if (!Directory.Exists(evalDir)) { ctx.Issue(LoadIssueKind.Missing, evalDir, "annotation folder is missing"); continue; }
            var transcripts = ReadTranscripts(System.IO.Path.Combine(session, "dialog", "transcriptions"));
            foreach (var evalFile in Directory.EnumerateFiles(evalDir, "Ses*.txt").Order(StringComparer.Ordinal))
                ReadEvaluation(ctx, session, evalFile, transcripts);
        }
        return ctx.Finish("SessionN/dialog/EmoEvaluation/*.txt with matching SessionN/sentences/wav/<dialog>/<turn>.wav");
    }

    private void ReadEvaluation(LoadContext ctx, string session, string evalFile, Dictionary<string, string> transcripts)
    {
        var lines = File.ReadAllLines(evalFile);
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (!line.StartsWith('[')) continue;
            var m = TurnLine().Match(line);
            if (!m.Success) { ctx.Issue(LoadIssueKind.BadMetadata, $"{evalFile}:{i + 1}", "turn line is not '[start - end] turn label [V, A, D]'"); continue; }
            var turn = m.Groups[3].Value;
            var t = TurnName().Match(turn);
            if (!t.Success) { ctx.Issue(LoadIssueKind.BadMetadata, $"{evalFile}:{i + 1}", $"turn name '{turn}' is not SesNN[FM]_<dialog>_[FM]NNN"); continue; }
            var code = m.Groups[4].Value;
            var dialog = turn[..turn.LastIndexOf('_')];
            var improvised = dialog.Contains("_impro", StringComparison.Ordinal);
            var wav = System.IO.Path.Combine(session, "sentences", "wav", dialog, turn + ".wav");
            if (!Emotions.TryGetValue(code, out var label)) { ctx.Issue(LoadIssueKind.UnknownLabel, wav, $"label '{code}' is not one of {string.Join("/", Emotions.Keys)}"); continue; }
            if (!File.Exists(wav)) { ctx.Issue(LoadIssueKind.Missing, wav, $"annotated in {System.IO.Path.GetFileName(evalFile)} but the audio file does not exist"); continue; }
            if (improvised && !IncludeImprovised) { ctx.Exclude("improvised (IncludeImprovised=false)"); continue; }
            if (!improvised && !IncludeScripted) { ctx.Exclude("scripted (IncludeScripted=false)"); continue; }
            var sessionId = "Ses" + t.Groups[2].Value;
            var genderLetter = t.Groups[4].Value;
            ctx.Add(new Utterance
            {
                Id = ctx.IdFor(wav), Path = wav, Corpus = Corpus, Label = label, OriginalLabel = code,
                Speaker = sessionId + genderLetter, Gender = genderLetter == "F" ? Gender.Female : Gender.Male,
                Session = sessionId, Elicitation = improvised ? "improvised" : "scripted",
                TextId = transcripts.TryGetValue(turn, out var text) ? NormaliseText(text) : null,
                Valence = D(m.Groups[5].Value), Arousal = D(m.Groups[6].Value), Dominance = D(m.Groups[7].Value),
            }, turn);
        }
    }

    private static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static Dictionary<string, string> ReadTranscripts(string dir)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(dir)) return result;
        foreach (var f in Directory.EnumerateFiles(dir, "Ses*.txt"))
            foreach (var line in File.ReadLines(f))
            {
                var m = TranscriptLine().Match(line);
                if (m.Success) result[m.Groups[1].Value] = m.Groups[2].Value;
            }
        return result;
    }

    // Case and punctuation differ between otherwise identical scripted lines.
    internal static string NormaliseText(string text) =>
        string.Join(' ', new string(text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c == '\'' ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
