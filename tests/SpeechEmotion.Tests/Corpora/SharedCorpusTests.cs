using SpeechEmotion.Corpora;

namespace SpeechEmotion.Tests.Corpora;

/// <summary>Loaders against the real corpora in ../shared/datasets; counts from its README.</summary>
public class SharedCorpusTests
{
    internal static readonly Lazy<CorpusLoadResult> Ravdess = new(() => new RavdessLoader().Load(SharedData.Path("datasets/ravdess-speech-16k")));
    internal static readonly Lazy<CorpusLoadResult> EmoDb = new(() => new EmoDbLoader().Load(SharedData.Path("datasets/emodb-2s-16k")));

    [Fact]
    public void Ravdess_counts_match_the_readme()
    {
        var r = Ravdess.Value;
        Assert.Empty(r.Issues);
        Assert.Equal(1200, r.Utterances.Count);
        var perLabel = r.Utterances.GroupBy(u => u.Label).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(80, perLabel[Emotion.Neutral]);
        foreach (var e in new[] { Emotion.Calm, Emotion.Happy, Emotion.Sad, Emotion.Angry, Emotion.Fearful, Emotion.Disgust, Emotion.Surprised })
            Assert.Equal(160, perLabel[e]);
        var perActor = r.Utterances.GroupBy(u => u.Speaker).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enumerable.Range(1, 20).Select(a => a.ToString("00")), perActor.Keys.Order());
        Assert.All(perActor.Values, c => Assert.Equal(60, c));
        Assert.Equal(600, r.Utterances.Count(u => u.Gender == Gender.Male));
        Assert.All(r.Utterances.Where(u => u.Label == Emotion.Neutral), u => Assert.Equal("normal", u.Intensity));
    }

    [Fact]
    public void EmoDb_counts_match_the_readme()
    {
        var r = EmoDb.Value;
        Assert.Empty(r.Issues);
        Assert.Equal(535, r.Utterances.Count);
        var perLetter = r.Utterances.GroupBy(u => u.OriginalLabel).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["W"] = 127, ["L"] = 81, ["E"] = 46, ["A"] = 69, ["F"] = 71, ["T"] = 62, ["N"] = 79 }, perLetter);
        Assert.Equal(new[] { "03", "08", "09", "10", "11", "12", "13", "14", "15", "16" }, r.Utterances.Select(u => u.Speaker).Distinct().Order());
        Assert.Equal(10, r.Utterances.Select(u => u.TextId).Distinct().Count());
        Assert.Equal(Emotion.Angry, r.Utterances.First(u => u.OriginalLabel == "W").Label);
    }
}
