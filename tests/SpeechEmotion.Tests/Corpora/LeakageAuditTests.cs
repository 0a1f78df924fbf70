using SpeechEmotion.Audio;
using SpeechEmotion.Corpora;

namespace SpeechEmotion.Tests.Corpora;

public class LeakageAuditTests
{
    private static readonly string Actor01 = SharedData.Path("datasets/ravdess-speech-16k/Actor_01");

    private static Utterance Ravdess(string path, string? source = null, string? id = null)
    {
        var u = SharedCorpusTests.Ravdess.Value.Utterances.FirstOrDefault(x => x.Path == path);
        if (u is not null) return u;
        var name = Path.GetFileNameWithoutExtension(path);
        return new Utterance { Id = id ?? "copy:" + name, Path = path, Label = Emotion.Angry, OriginalLabel = "05", Speaker = "99", Corpus = "copies", SourceUtterance = source };
    }

    [Fact]
    public void Fingerprint_separates_distinct_takes_from_modified_copies()
    {
        // Actor 01: 60 takes of two sentences; the most similar distinct pair must stay below the threshold,
        // and copies with gain, noise and a shift must stay above it.
        var files = Directory.GetFiles(Actor01, "*.wav").Order().ToArray();
        var audio = files.Select(f => AudioReader.Read(f)).ToArray();
        var fps = audio.Select(a => AudioFingerprint.Compute(a.Samples, a.SampleRate)).ToArray();
        double maxDistinct = 0;
        for (int i = 0; i < fps.Length; i++)
            for (int j = i + 1; j < fps.Length; j++)
                maxDistinct = Math.Max(maxDistinct, AudioFingerprint.Similarity(fps[i], fps[j]));
        var threshold = new LeakageAuditOptions().NearDuplicateThreshold;
        Assert.InRange(maxDistinct, 0.5, threshold - 0.04);
        double minCopy = 1;
        for (int i = 0; i < files.Length; i += 6)
            foreach (var (gain, snr, shift) in new[] { (0.25f, double.PositiveInfinity, 0), (1f, 20.0, 0), (1f, 10.0, 0), (1f, double.PositiveInfinity, 1600), (0.5f, 15.0, -800), (2f, 20.0, 3000) })
            {
                var copy = TestWav.Modify(audio[i].Samples, gain, snr, shift, i);
                minCopy = Math.Min(minCopy, AudioFingerprint.Similarity(fps[i], AudioFingerprint.Compute(copy, 16000)));
            }
        Assert.InRange(minCopy, threshold + 0.04, 1.0);
    }

    [Fact]
    public void Protocol_folds_have_no_blocking_leak_but_report_shared_text()
    {
        var set = Protocols.Ravdess5Fold(SharedCorpusTests.Ravdess.Value.Utterances);
        var report = LeakageAudit.Audit(set, new LeakageAuditOptions { CheckAudio = false });
        Assert.False(report.IsLeaky);
        Assert.Contains(report.Findings, f => f.Kind == LeakageKind.SharedText && f.Severity == LeakageSeverity.Warning);
        Assert.Same(report.GetType(), LeakageAudit.EnsureClean(set, allowLeakage: false, new LeakageAuditOptions { CheckAudio = false }).GetType());
    }

    [Fact]
    public void Per_utterance_split_leaks_speakers_and_training_refuses_it_unless_allowed()
    {
        var data = SplitTests.Synthetic(5, 4, [Emotion.Neutral, Emotion.Sad]);
        var set = Splits.StratifiedHoldOut(data, 0.25, speakerIndependent: false);
        var o = new LeakageAuditOptions { CheckAudio = false };
        var report = LeakageAudit.Audit(set, o);
        Assert.True(report.IsLeaky);
        Assert.Equal(set.Folds[0].Speakers.Test.Count, report.Findings.Count(f => f.Kind == LeakageKind.SharedSpeaker && f.Severity == LeakageSeverity.Blocking));
        var ex = Assert.Throws<LeakageException>(() => LeakageAudit.EnsureClean(set, allowLeakage: false, o));
        Assert.Contains("--allow-leakage", ex.Message);
        Assert.Contains("SharedSpeaker", ex.Message);
        var allowed = LeakageAudit.EnsureClean(set, allowLeakage: true, o);
        Assert.True(allowed.LeakageAllowed);
        Assert.Contains("LEAKAGE ALLOWED", allowed.ToText());
    }

    [Fact]
    public void Identical_near_identical_and_augmented_copies_across_the_split_are_found()
    {
        using var t = new TempTree();
        var files = Directory.GetFiles(Actor01, "*.wav").Order().Take(8).ToArray();
        var originals = files.Select(f => Ravdess(f)).ToArray();
        var a0 = AudioReader.Read(files[0]);
        var a1 = AudioReader.Read(files[1]);
        // An exact copy under another name, a noisy quieter shifted copy, and a declared augmented copy.
        var exact = t["exact.wav"]; File.Copy(files[0], exact);
        var noisy = t["noisy.wav"]; WavWriter.Write(noisy, TestWav.Modify(a0.Samples, 0.5f, 20, 400, 1), 16000, WavSampleFormat.Pcm16);
        var aug = t["aug.wav"]; WavWriter.Write(aug, TestWav.Modify(a1.Samples, 1.5f, 30, 0, 2), 16000, WavSampleFormat.Pcm16);
        var test = new[] { Ravdess(exact), Ravdess(noisy), Ravdess(aug, source: originals[1].Id), originals[5] };
        var split = new Split { Name = "f", Train = originals.Where((_, i) => i != 5).ToArray(), Validation = [], Test = test };
        var report = LeakageAudit.Audit(split);
        Assert.True(report.AudioChecked);
        Assert.Empty(report.Undecodable);
        Assert.Contains(report.Findings, f => f.Kind == LeakageKind.IdenticalAudio && f.A == originals[0].Id && f.B == "copy:exact");
        Assert.Contains(report.Findings, f => f.Kind == LeakageKind.NearIdenticalAudio && f.A == originals[0].Id && f.B == "copy:noisy" && f.Similarity > 0.8);
        Assert.Contains(report.Findings, f => f.Kind == LeakageKind.NearIdenticalAudio && f.A == originals[1].Id && f.B == "copy:aug");
        Assert.Contains(report.Findings, f => f.Kind == LeakageKind.AugmentedAcrossSplit && f.A == originals[1].Id && f.B == "copy:aug");
        Assert.Contains(report.Findings, f => f.Kind == LeakageKind.AugmentedInTest);
        // The untouched take of actor 01 in test is only a shared speaker, not a copy.
        Assert.DoesNotContain(report.Findings, f => f.B == originals[5].Id && f.Kind is LeakageKind.NearIdenticalAudio or LeakageKind.IdenticalAudio);
        Assert.True(report.IsLeaky);
    }

    [Fact]
    public void The_candidate_index_finds_the_same_copies_as_the_exhaustive_search()
    {
        using var t = new TempTree();
        var files = Directory.GetFiles(Actor01, "*.wav").Order().ToArray();
        var originals = files.Select(f => Ravdess(f)).ToArray();
        var variants = new[] { (0.3f, double.PositiveInfinity, 0), (1f, 20.0, 0), (1f, 10.0, 0), (1f, double.PositiveInfinity, 1600), (0.5f, 15.0, -800), (2f, 20.0, 3000) };
        var copies = new List<Utterance>();
        for (int i = 0; i < files.Length; i += 5)
        {
            var v = variants[i / 5 % variants.Length];
            var path = t[$"copy{i:00}.wav"];
            WavWriter.Write(path, TestWav.Modify(AudioReader.Read(files[i]).Samples, v.Item1, v.Item2, v.Item3, i), 16000, WavSampleFormat.Pcm16);
            copies.Add(Ravdess(path));
        }
        var split = new Split { Name = "f", Train = originals, Validation = [], Test = copies };
        static string[] Pairs(LeakageReport r) => r.Findings.Where(f => f.Kind == LeakageKind.NearIdenticalAudio).Select(f => f.A + "~" + f.B).Order().ToArray();
        var indexed = Pairs(LeakageAudit.Audit(split));
        var exhaustive = Pairs(LeakageAudit.Audit(split, new LeakageAuditOptions { Exhaustive = true }));
        Assert.Equal(copies.Count, exhaustive.Length);
        Assert.Equal(exhaustive, indexed);
    }

    [Fact]
    public void Undecodable_files_are_listed_not_fatal()
    {
        using var t = new TempTree();
        var bad = t.Touch("bad.wav", "not a wav");
        var files = Directory.GetFiles(Actor01, "*.wav").Order().Take(2).Select(f => Ravdess(f)).ToArray();
        var split = new Split { Name = "f", Train = [files[0]], Validation = [], Test = [Ravdess(bad)] };
        var report = LeakageAudit.Audit(split);
        Assert.Single(report.Undecodable, u => u.Contains("bad.wav"));
        Assert.Contains("could not be decoded", report.ToText());
    }
}
