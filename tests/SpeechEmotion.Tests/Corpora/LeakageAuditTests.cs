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

/// <summary>Copies altered in speed or pitch (our own Augmentation transforms), found acoustically and by name.</summary>
public class AlteredCopyTests
{
    private static readonly string Actor01 = SharedData.Path("datasets/ravdess-speech-16k/Actor_01");
    private static readonly string Actor02 = SharedData.Path("datasets/ravdess-speech-16k/Actor_02");

    private static readonly (string Name, Func<float[], float[]> Make)[] Alterations =
    [
        ("speed0.9", y => SpeechEmotion.Augmentation.WaveformEffects.Speed(y, 16000, 0.9)),
        ("speed1.1", y => SpeechEmotion.Augmentation.WaveformEffects.Speed(y, 16000, 1.1)),
        ("pitch-2", y => SpeechEmotion.Augmentation.PhaseVocoder.PitchShift(y, 16000, -2)),
        ("pitch+2", y => SpeechEmotion.Augmentation.PhaseVocoder.PitchShift(y, 16000, 2)),
    ];

    [Fact]
    public void Warp_fingerprint_separates_speed_and_pitch_copies_from_other_speakers_takes()
    {
        var a1 = Directory.GetFiles(Actor01, "*.wav").Order().Select(f => AudioReader.Read(f).Samples).ToArray();
        var a2 = Directory.GetFiles(Actor02, "*.wav").Order().Select(f => AudioReader.Read(f).Samples).ToArray();
        var f1 = a1.Select(y => WarpFingerprint.Compute(y, 16000)).ToArray();
        var f2 = a2.Select(y => WarpFingerprint.Compute(y, 16000)).ToArray();
        var o = new LeakageAuditOptions();
        // Every take of actor 01 against every take of actor 02 (3,600 pairs): all below the cross-speaker threshold.
        double maxCross = 0;
        foreach (var x in f1) foreach (var y in f2) maxCross = Math.Max(maxCross, WarpFingerprint.Similarity(x, y));
        Assert.InRange(maxCross, 0.3, o.AlteredCopyThreshold - 0.02);
        // ±10 % speed and ±2 semitones on every 4th take: all above it; speed copies even above the same-speaker threshold.
        var minBy = new Dictionary<string, double>();
        for (int i = 0; i < a1.Length; i += 4)
            foreach (var (name, make) in Alterations)
            {
                var sim = WarpFingerprint.Similarity(f1[i], WarpFingerprint.Compute(make(a1[i]), 16000));
                minBy[name] = Math.Min(minBy.GetValueOrDefault(name, 1), sim);
            }
        Assert.All(minBy.Values, v => Assert.InRange(v, o.AlteredCopyThreshold + 0.02, 1.0));
        Assert.InRange(Math.Min(minBy["speed0.9"], minBy["speed1.1"]), o.AlteredCopySameSpeakerThreshold, 1.0);
        // The ordinary fingerprint does not see these copies: that is why the warp fingerprint exists.
        var plain = AudioFingerprint.Similarity(AudioFingerprint.Compute(a1[0], 16000), AudioFingerprint.Compute(Alterations[1].Make(a1[0]), 16000));
        Assert.True(plain < o.NearDuplicateThreshold, $"plain fingerprint similarity {plain}");
        // Silence or a too-short clip gives an invalid fingerprint that matches nothing.
        Assert.False(WarpFingerprint.Compute(new float[16000], 16000).IsValid);
        Assert.Equal(0, WarpFingerprint.Similarity(WarpFingerprint.Compute(new float[100], 16000), f1[0]));
    }

    [Fact]
    public void Audit_finds_altered_copies_saved_before_splitting_and_nothing_else()
    {
        using var t = new TempTree();
        var all = SharedCorpusTests.Ravdess.Value.Utterances;
        var actor1 = all.Where(u => u.Speaker == "01").OrderBy(u => u.Id, StringComparer.Ordinal).ToArray();
        var actor2 = all.Where(u => u.Speaker == "02").OrderBy(u => u.Id, StringComparer.Ordinal).ToArray();
        // Offline copies made before splitting, saved without any metadata and under a speaker id of their own.
        var copies = new List<(Utterance Copy, Utterance Source)>();
        for (int i = 0, k = 0; i < actor1.Length; i += 6, k++)
        {
            var (name, make) = Alterations[k % Alterations.Length];
            var path = t[$"clip{k:00}.wav"];
            WavWriter.Write(path, make(AudioReader.Read(actor1[i].Path).Samples), 16000, WavSampleFormat.Pcm16);
            copies.Add((new Utterance { Id = $"copies:clip{k:00}", Path = path, Label = actor1[i].Label, OriginalLabel = name, Speaker = $"c{k}", Corpus = "copies" }, actor1[i]));
        }
        var split = new Split { Name = "f", Train = actor1, Validation = [], Test = [.. actor2, .. copies.Select(c => c.Copy)] };
        var report = LeakageAudit.Audit(split);
        var found = report.Findings.Where(f => f.Kind == LeakageKind.AlteredCopyAudio).ToArray();
        Assert.Equal(copies.Select(c => (c.Source.Id, c.Copy.Id)).Order(), found.Select(f => (f.A, f.B!)).Order());
        Assert.All(found, f => Assert.Equal(LeakageSeverity.Blocking, f.Severity));
        Assert.True(report.IsLeaky);
        Assert.Contains("AlteredCopyAudio", report.ToText());
        // Switched off, the same split has no altered-copy finding (speed and pitch defeat the plain fingerprint).
        var off = LeakageAudit.Audit(split, new LeakageAuditOptions { CheckAlteredCopies = false });
        Assert.DoesNotContain(off.Findings, f => f.Kind is LeakageKind.AlteredCopyAudio or LeakageKind.NearIdenticalAudio);
    }

    [Fact]
    public void Copies_are_recognised_by_file_name_when_metadata_is_missing()
    {
        Utterance U(string path, string speaker) => new()
        {
            Id = "c:" + Path.GetFileNameWithoutExtension(path), Path = "/data/" + path, Label = Emotion.Angry, OriginalLabel = "x", Speaker = speaker, Corpus = "c",
        };
        var source = U("03-01-05-01-02-01-12.wav", "12");
        var speed = U("03-01-05-01-02-01-12_speed1.1.wav", "12");
        var pitch = U("F01A01-pitch+2.wav", "F01");
        var pitchSource = U("F01A01.wav", "F01");
        var own = U(SpeechEmotion.Augmentation.AugmentationMaterializer.FileStem(pitchSource.Id) + "__aug3.wav", "F01");
        var take1 = U("take1.wav", "s");
        var take10 = U("take1_0.wav", "s");       // starts with another stem, but no augmentation word: not a copy
        var declared = U("other_aug1.wav", "s") with { SourceUtterance = "c:elsewhere" };
        var inferred = AugmentedCopyNames.InferSources([source, speed, pitch, pitchSource, own, take1, take10, declared]);
        Assert.Equal(new Dictionary<string, string> { [speed.Id] = source.Id, [pitch.Id] = pitchSource.Id, [own.Id] = pitchSource.Id }, inferred.OrderBy(kv => kv.Key).ToDictionary());

        // In an audit the named copy on the training side and its source in test are a blocking leak.
        var split = new Split { Name = "f", Train = [speed, pitch, take1], Validation = [], Test = [source, pitchSource, take10] };
        var report = LeakageAudit.Audit(split, new LeakageAuditOptions { CheckAudio = false });
        Assert.Equal(2, report.CopiesNamedByFile);
        Assert.Contains(report.Findings, f => f.Kind == LeakageKind.AugmentedAcrossSplit && f.A == speed.Id && f.B == source.Id);
        Assert.Contains(report.Findings, f => f.Kind == LeakageKind.AugmentedAcrossSplit && f.A == pitch.Id && f.B == pitchSource.Id);
        Assert.DoesNotContain(report.Findings, f => f.Kind == LeakageKind.AugmentedAcrossSplit && (f.A == take1.Id || f.B == take10.Id));
        Assert.Contains("recognised as augmented copies by their file names", report.ToText());
    }
}
