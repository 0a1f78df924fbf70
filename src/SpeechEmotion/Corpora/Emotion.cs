namespace SpeechEmotion.Corpora;

/// <summary>
/// The common emotion vocabulary every corpus label is mapped onto. Corpora that use finer or
/// different categories keep their own spelling in <see cref="Utterance.OriginalLabel"/>; merges
/// (calm→neutral, excited→happy, ...) are applied afterwards by a <see cref="LabelMap"/>.
/// </summary>
public enum Emotion
{
    /// <summary>Neutral / no particular emotion.</summary>
    Neutral,
    /// <summary>Calm (RAVDESS); usually merged into <see cref="Neutral"/>.</summary>
    Calm,
    /// <summary>Happiness, joy.</summary>
    Happy,
    /// <summary>Sadness.</summary>
    Sad,
    /// <summary>Anger.</summary>
    Angry,
    /// <summary>Fear.</summary>
    Fearful,
    /// <summary>Disgust.</summary>
    Disgust,
    /// <summary>Surprise (including TESS "pleasant surprise").</summary>
    Surprised,
    /// <summary>Boredom (EmoDB).</summary>
    Boredom,
    /// <summary>Excitement (IEMOCAP, JL-Corpus); usually merged into <see cref="Happy"/>.</summary>
    Excited,
    /// <summary>Frustration (IEMOCAP).</summary>
    Frustrated,
    /// <summary>Anxiety (JL-Corpus secondary emotion).</summary>
    Anxious,
    /// <summary>Apologetic (JL-Corpus secondary emotion).</summary>
    Apologetic,
    /// <summary>Assertive (JL-Corpus secondary emotion).</summary>
    Assertive,
    /// <summary>Concerned (JL-Corpus secondary emotion).</summary>
    Concerned,
    /// <summary>Encouraging (JL-Corpus secondary emotion).</summary>
    Encouraging,
    /// <summary>Another emotion the corpus names but the vocabulary has no class for (IEMOCAP "oth").</summary>
    Other,
    /// <summary>No agreed label (IEMOCAP "xxx"): annotators did not agree.</summary>
    NoAgreement,
}

/// <summary>Speaker gender as documented by the corpus.</summary>
public enum Gender
{
    /// <summary>Not documented.</summary>
    Unknown,
    /// <summary>Male speaker.</summary>
    Male,
    /// <summary>Female speaker.</summary>
    Female,
}

/// <summary>Names of <see cref="Emotion"/> values: lower-case canonical names and common synonyms.</summary>
public static class EmotionNames
{
    private static readonly Dictionary<string, Emotion> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["neutral"] = Emotion.Neutral, ["neu"] = Emotion.Neutral, ["neutrality"] = Emotion.Neutral,
        ["calm"] = Emotion.Calm,
        ["happy"] = Emotion.Happy, ["happiness"] = Emotion.Happy, ["hap"] = Emotion.Happy, ["joy"] = Emotion.Happy,
        ["sad"] = Emotion.Sad, ["sadness"] = Emotion.Sad,
        ["angry"] = Emotion.Angry, ["anger"] = Emotion.Angry, ["ang"] = Emotion.Angry,
        ["fearful"] = Emotion.Fearful, ["fear"] = Emotion.Fearful, ["fea"] = Emotion.Fearful,
        ["disgust"] = Emotion.Disgust, ["disgusted"] = Emotion.Disgust, ["dis"] = Emotion.Disgust,
        ["surprised"] = Emotion.Surprised, ["surprise"] = Emotion.Surprised, ["sur"] = Emotion.Surprised,
        ["ps"] = Emotion.Surprised, ["pleasant_surprise"] = Emotion.Surprised, ["pleasant_surprised"] = Emotion.Surprised,
        ["boredom"] = Emotion.Boredom, ["bored"] = Emotion.Boredom,
        ["excited"] = Emotion.Excited, ["excitement"] = Emotion.Excited, ["exc"] = Emotion.Excited,
        ["frustrated"] = Emotion.Frustrated, ["frustration"] = Emotion.Frustrated, ["fru"] = Emotion.Frustrated,
        ["anxious"] = Emotion.Anxious, ["anxiety"] = Emotion.Anxious,
        ["apologetic"] = Emotion.Apologetic, ["assertive"] = Emotion.Assertive,
        ["concerned"] = Emotion.Concerned, ["concern"] = Emotion.Concerned,
        ["encouraging"] = Emotion.Encouraging,
        ["other"] = Emotion.Other, ["oth"] = Emotion.Other,
        ["noagreement"] = Emotion.NoAgreement, ["no_agreement"] = Emotion.NoAgreement, ["xxx"] = Emotion.NoAgreement,
    };

    /// <summary>The canonical lower-case name of <paramref name="emotion"/> (e.g. "fearful").</summary>
    public static string Name(this Emotion emotion) => emotion switch
    {
        Emotion.NoAgreement => "no_agreement",
        _ => emotion.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses a canonical name or a common synonym ("anger", "happiness", "ps", "exc"), case-insensitively.</summary>
    public static bool TryParse(string? text, out Emotion emotion)
    {
        emotion = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim().Replace('-', '_').Replace(' ', '_');
        return Synonyms.TryGetValue(t, out emotion);
    }

    /// <summary>Parses like <see cref="TryParse"/>; throws <see cref="InvalidOptionsException"/> naming the value otherwise.</summary>
    public static Emotion Parse(string text, string context = "emotion")
    {
        if (TryParse(text, out var e)) return e;
        throw new InvalidOptionsException(context, [$"unknown emotion '{text}'; known: {string.Join(", ", Enum.GetValues<Emotion>().Select(Name))}"]);
    }
}
