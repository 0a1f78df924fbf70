using SpeechEmotion.Corpora;

namespace SpeechEmotion.Tests.Corpora;

public class LabelMapTests
{
    [Fact]
    public void Four_class_merges_calm_and_excited_and_counts_what_it_drops()
    {
        var r = LabelMap.FourClass.Apply(SharedCorpusTests.Ravdess.Value.Utterances);
        Assert.Equal(new[] { Emotion.Neutral, Emotion.Happy, Emotion.Sad, Emotion.Angry }, r.Classes);
        Assert.Equal(240, r.Utterances.Count(u => u.Label == Emotion.Neutral)); // 80 neutral + 160 calm
        Assert.Equal(720, r.Utterances.Count);
        Assert.Equal(160, r.Dropped[Emotion.Fearful]);
        Assert.Equal(480, r.Dropped.Values.Sum());
        Assert.Contains(r.Utterances, u => u.Label == Emotion.Neutral && u.OriginalLabel == "02");
        Assert.Equal(1, r.IndexOf(Emotion.Happy));
    }

    [Fact]
    public void Json_round_trip_and_every_problem_reported()
    {
        var map = LabelMap.FromJson("""{"merge": {"calm": "neutral", "exc": "happiness"}, "classes": ["neutral", "happy", "sad"]}""");
        Assert.Equal(Emotion.Happy, map.Map(Emotion.Excited));
        Assert.Null(map.Map(Emotion.Angry));
        Assert.Equal(map.ToJson(), LabelMap.FromJson(map.ToJson()).ToJson());
        var ex = Assert.Throws<InvalidOptionsException>(() => LabelMap.FromJson("""{"merge": {"joyish": "happy"}, "classes": ["neutral", "blah", "neutral"]}"""));
        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("joyish"));
        Assert.Contains(ex.Problems, p => p.Contains("blah"));
    }

    [Fact]
    public void Combining_corpora_keeps_the_corpus_tag_and_keeps_speakers_apart()
    {
        var r = CorpusCombiner.Combine([SharedCorpusTests.Ravdess.Value, SharedCorpusTests.EmoDb.Value], LabelMap.FourClass);
        Assert.Equal(new[] { "emodb", "ravdess" }, r.Utterances.Select(u => u.Corpus).Distinct().Order());
        Assert.Equal(30, r.Utterances.Select(u => u.SpeakerKey).Distinct().Count());
        Assert.Contains(r.Utterances, u => u.Corpus == "emodb" && u.Label == Emotion.Angry && u.OriginalLabel == "W");
        var set = Splits.SpeakerKFold(r.Utterances, 5);
        Assert.All(set.Folds, f => Assert.Empty(f.Speakers.Train.Intersect(f.Speakers.Test)));
        var cross = Splits.CrossCorpus(r.Utterances, ["ravdess"], ["emodb"]).Folds.Single();
        Assert.Equal(r.Utterances.Count(u => u.Corpus == "emodb"), cross.Test.Count);

        using var t = new TempTree("wav/03a01Wa.wav");
        var clash = Assert.Throws<CorpusException>(() => CorpusCombiner.Combine([SharedCorpusTests.EmoDb.Value, new EmoDbLoader().Load(t.Root)]));
        Assert.Contains(t.Root, clash.Message);
    }
}
