using SpeechEmotion.Corpora;

namespace SpeechEmotion.Tests.Corpora;

public class SplitTests
{
    private static IReadOnlyList<Utterance> Ravdess => SharedCorpusTests.Ravdess.Value.Utterances;

    internal static List<Utterance> Synthetic(int speakers, int perLabel, Emotion[] labels, string corpus = "syn", Func<int, string?>? session = null)
    {
        var list = new List<Utterance>();
        for (int s = 0; s < speakers; s++)
            foreach (var l in labels)
                for (int i = 0; i < perLabel; i++)
                    list.Add(new Utterance
                    {
                        Id = $"{corpus}:s{s:00}_{l.Name()}_{i}", Path = $"/x/{corpus}/s{s:00}_{l.Name()}_{i}.wav", Label = l, OriginalLabel = l.Name(),
                        Speaker = $"s{s:00}", Corpus = corpus, Session = session?.Invoke(s), Gender = s % 2 == 0 ? Gender.Male : Gender.Female,
                    });
        return list;
    }

    private static void AssertPartition(Split s, IEnumerable<Utterance> all)
    {
        var ids = s.Train.Concat(s.Validation).Concat(s.Test).Select(u => u.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(all.Select(u => u.Id).Order(), ids.Order());
    }

    [Fact]
    public void Speaker_kfold_is_speaker_disjoint_stratified_deterministic_and_covers_everyone()
    {
        var set = Splits.SpeakerKFold(Ravdess, 5, new SplitOptions { Seed = 7 });
        Assert.Equal(5, set.Folds.Count);
        var testSpeakers = new List<string>();
        foreach (var f in set.Folds)
        {
            AssertPartition(f, Ravdess);
            var (tr, va, te) = f.Speakers;
            Assert.Empty(tr.Intersect(te));
            Assert.Empty(va.Intersect(te));
            Assert.Empty(tr.Intersect(va));
            Assert.NotEmpty(va);
            Assert.Equal(4, te.Count);
            testSpeakers.AddRange(te);
            // RAVDESS is balanced per actor, so each fold holds exactly its share of every label.
            Assert.Equal(16, f.Test.Count(u => u.Label == Emotion.Neutral));
            Assert.Empty(f.Warnings);
        }
        Assert.Equal(20, testSpeakers.Distinct().Count());
        var again = Splits.SpeakerKFold(Ravdess, 5, new SplitOptions { Seed = 7 });
        Assert.Equal(SplitFile.ToJson(set), SplitFile.ToJson(again));
        var other = Splits.SpeakerKFold(Ravdess, 5, new SplitOptions { Seed = 8 });
        Assert.NotEqual(SplitFile.ToJson(set), SplitFile.ToJson(other));
    }

    [Fact]
    public void Speaker_kfold_balances_labels_with_unbalanced_speakers()
    {
        // Speakers hold different label mixes; the greedy assignment keeps every fold's mix near the whole.
        var data = new List<Utterance>();
        for (int s = 0; s < 12; s++)
            data.AddRange(Synthetic(1, 2 + s % 4, s % 3 == 0 ? [Emotion.Angry, Emotion.Sad] : [Emotion.Neutral, Emotion.Happy, Emotion.Angry])
                .Select(u => u with { Speaker = $"p{s}", Id = u.Id.Replace("s00", $"p{s}") }));
        var set = Splits.SpeakerKFold(data, 3, new SplitOptions { Seed = 1 });
        foreach (var f in set.Folds)
        {
            AssertPartition(f, data);
            foreach (var l in new[] { Emotion.Angry, Emotion.Sad, Emotion.Neutral })
            {
                var share = (double)f.Test.Count(u => u.Label == l) / data.Count(u => u.Label == l);
                Assert.InRange(share, 0.2, 0.47);
            }
        }
    }

    [Fact]
    public void Ravdess_protocol_is_the_named_fixed_five_folds()
    {
        var set = Protocols.Ravdess5Fold(Ravdess);
        Assert.StartsWith(Protocols.Ravdess5FoldName, set.Protocol);
        Assert.Equal(5, set.Folds.Count);
        for (int f = 0; f < 5; f++)
        {
            var fold = set.Folds[f];
            Assert.Equal(Enumerable.Range(4 * f + 1, 4).Select(a => $"ravdess/{a:00}"), fold.Speakers.Test.Order());
            var next = (f + 1) % 5;
            Assert.Equal(new[] { $"ravdess/{4 * next + 1:00}", $"ravdess/{4 * next + 2:00}" }, fold.Speakers.Validation.Order());
            Assert.Equal(14, fold.Speakers.Train.Count);
            Assert.Equal((840, 120, 240), (fold.Train.Count, fold.Validation.Count, fold.Test.Count));
            Assert.Equal(1, fold.Validation.Select(u => u.Gender).Distinct().Count(g => g == Gender.Male));
        }
        var missing = Assert.Throws<SplitException>(() => Protocols.Ravdess5Fold(Ravdess.Where(u => u.Speaker != "07").ToArray()));
        Assert.Contains("07", missing.Message);
    }

    [Fact]
    public void Leave_one_speaker_out_and_session_out()
    {
        var data = Synthetic(4, 2, [Emotion.Neutral, Emotion.Sad], session: s => $"Ses{s / 2 + 1:00}");
        var loso = Splits.LeaveOneSpeakerOut(data);
        Assert.Equal(4, loso.Folds.Count);
        Assert.All(loso.Folds, f => { AssertPartition(f, data); Assert.Single(f.Speakers.Test); Assert.DoesNotContain(f.Speakers.Test.Single(), f.Speakers.Validation); });
        var sessions = Splits.LeaveOneSessionOut(data);
        Assert.Equal(new[] { "test-syn/Ses01", "test-syn/Ses02" }, sessions.Folds.Select(f => f.Name));
        Assert.All(sessions.Folds, f => Assert.Equal(2, f.Speakers.Test.Count));
        var noSession = Assert.Throws<SplitException>(() => Splits.LeaveOneSessionOut(Synthetic(3, 1, [Emotion.Sad])));
        Assert.Contains("no session", noSession.Message);
    }

    [Fact]
    public void Cross_corpus_trains_on_one_and_tests_on_the_other()
    {
        var data = Synthetic(4, 2, [Emotion.Neutral, Emotion.Sad], "a").Concat(Synthetic(3, 2, [Emotion.Neutral, Emotion.Sad], "b")).ToArray();
        var set = Splits.CrossCorpus(data, ["a"], ["b"]);
        var f = Assert.Single(set.Folds);
        Assert.All(f.Test, u => Assert.Equal("b", u.Corpus));
        Assert.All(f.Train.Concat(f.Validation), u => Assert.Equal("a", u.Corpus));
        Assert.NotEmpty(f.Validation);
        var bad = Assert.Throws<InvalidOptionsException>(() => Splits.CrossCorpus(data, ["a"], ["zzz"]));
        Assert.Contains("zzz", bad.Message);
    }

    [Fact]
    public void Holdout_speaker_independent_and_per_utterance()
    {
        var data = Synthetic(10, 3, [Emotion.Neutral, Emotion.Sad, Emotion.Angry]);
        var si = Splits.StratifiedHoldOut(data, 0.2).Folds.Single();
        AssertPartition(si, data);
        Assert.Empty(si.Speakers.Train.Intersect(si.Speakers.Test));
        Assert.Equal(2, si.Speakers.Test.Count);
        var pu = Splits.StratifiedHoldOut(data, 0.2, speakerIndependent: false).Folds.Single();
        AssertPartition(pu, data);
        Assert.All(new[] { Emotion.Neutral, Emotion.Sad, Emotion.Angry }, l => Assert.Equal(6, pu.Test.Count(u => u.Label == l)));
    }

    [Fact]
    public void Fixed_lists_resolve_ids_and_report_unknown_or_repeated_ones()
    {
        var data = Synthetic(4, 1, [Emotion.Neutral, Emotion.Sad]);
        var train = data.Where(u => u.Speaker is "s00" or "s01" or "s02").Select(u => u.Id).ToArray();
        var test = data.Where(u => u.Speaker == "s03").Select(u => u.Id).ToArray();
        var f = Splits.Fixed(data, train, null, test).Folds.Single();
        Assert.Equal(2, f.Test.Count);
        Assert.NotEmpty(f.Validation);
        Assert.DoesNotContain("syn/s03", f.Speakers.Validation);
        var ex = Assert.Throws<InvalidOptionsException>(() => Splits.Fixed(data, [.. train, "syn:nope"], null, [.. test, train[0]]));
        Assert.Contains("syn:nope", ex.Message);
        Assert.Contains($"'{train[0]}' is listed in train and test", ex.Message);
    }

    [Fact]
    public void A_class_absent_from_training_is_an_error_absent_from_test_a_warning()
    {
        // Only speaker s00 has 'fearful': whichever fold tests s00 has no fearful training data.
        var data = Synthetic(6, 2, [Emotion.Neutral, Emotion.Sad]);
        data.Add(new Utterance { Id = "syn:fear", Path = "/x/fear.wav", Label = Emotion.Fearful, OriginalLabel = "fear", Speaker = "s00", Corpus = "syn" });
        var ex = Assert.Throws<SplitException>(() => Splits.LeaveOneSpeakerOut(data));
        Assert.Contains("fearful", ex.Message);
        Assert.Contains("test-syn/s00", ex.Message);

        data.Add(new Utterance { Id = "syn:fear2", Path = "/x/fear2.wav", Label = Emotion.Fearful, OriginalLabel = "fear", Speaker = "s01", Corpus = "syn" });
        var set = Splits.SpeakerKFold(data, 3);
        Assert.Contains(set.Warnings, w => w.Contains("test has no utterance of fearful"));
    }

    [Fact]
    public void Split_files_round_trip_and_reject_bad_files()
    {
        var set = Splits.SpeakerKFold(SplitTests.Synthetic(6, 2, [Emotion.Neutral, Emotion.Sad]), 3, new SplitOptions { Seed = 3 });
        using var t = new TempTree();
        var path = t["split.json"];
        SplitFile.Save(set, path);
        var back = SplitFile.Load(path);
        Assert.Equal(SplitFile.ToJson(set), SplitFile.ToJson(back));
        Assert.Equal(set.Folds[1].Test, back.Folds[1].Test);
        Assert.Empty(Directory.GetFiles(t.Root, "*.tmp"));

        File.WriteAllText(path, File.ReadAllText(path).Replace("\"id\": \"syn:s00_neutral_0\"", "\"id\": \"syn:ghost\""));
        var ex = Assert.Throws<SplitException>(() => SplitFile.Load(path));
        Assert.Contains(path, ex.Message);
        File.WriteAllText(path, "{ not json");
        Assert.Throws<SplitException>(() => SplitFile.Load(path));
        Assert.Throws<SplitException>(() => SplitFile.Load(t["missing.json"]));
    }

    [Fact]
    public void Too_few_speakers_is_a_clear_error()
    {
        var ex = Assert.Throws<SplitException>(() => Splits.SpeakerKFold(Synthetic(3, 1, [Emotion.Sad]), 5));
        Assert.Contains("the data has 3", ex.Message);
    }
}
