using SpeechEmotion.Corpora;

namespace SpeechEmotion.Tests.Corpora;

public class LoaderTests
{
    [Fact]
    public void Ravdess_parses_every_field_and_reports_bad_names()
    {
        using var t = new TempTree(
            "Actor_01/03-01-05-02-01-02-01.wav", "Actor_02/03-01-01-01-02-01-02.wav", "Actor_02/03-02-06-01-01-01-02.wav",
            "Actor_01/03-01-01-02-01-01-01.wav",   // neutral cannot be strong
            "Actor_01/03-01-05-01-01-01-03.wav",   // actor in the wrong folder
            "Actor_01/03-02-08-01-01-01-01.wav",   // song has no surprised
            "Actor_01/hello.wav", "Actor_01/readme.txt");
        var r = new RavdessLoader().Load(t.Root);
        Assert.Equal(3, r.Utterances.Count);
        var u = r.Utterances.Single(x => x.Speaker == "01");
        Assert.Equal(Emotion.Angry, u.Label);
        Assert.Equal("05", u.OriginalLabel);
        Assert.Equal("strong", u.Intensity);
        Assert.Equal(Gender.Male, u.Gender);
        Assert.Equal("speech-statement01", u.TextId);
        Assert.Equal("ravdess:Actor_01/03-01-05-02-01-02-01", u.Id);
        Assert.Equal("ravdess", u.Corpus);
        var song = r.Utterances.Single(x => x.Elicitation == "song");
        Assert.Equal((Emotion.Fearful, Gender.Female), (song.Label, song.Gender));
        Assert.Equal(3, r.Issues.Count(i => i.Kind == LoadIssueKind.Misnamed));
        Assert.Single(r.Issues, i => i.Kind == LoadIssueKind.UnknownLabel && i.Path.EndsWith("03-02-08-01-01-01-01.wav"));
        Assert.Contains(r.Issues, i => i.Message.Contains("neutral has no strong intensity"));
        Assert.Contains(r.Issues, i => i.Message.Contains("folder Actor_01"));
        Assert.Equal(1, r.IgnoredFiles);

        var speechOnly = new RavdessLoader { IncludeSong = false }.Load(t.Root);
        Assert.Equal(2, speechOnly.Utterances.Count);
        Assert.Equal(1, speechOnly.Excluded["song (IncludeSong=false)"]);
    }

    [Fact]
    public void Missing_folder_and_empty_folder_are_clear_errors()
    {
        var missing = Assert.Throws<CorpusException>(() => new EmoDbLoader().Load("/nonexistent/emodb"));
        Assert.Contains("/nonexistent/emodb", missing.Message);
        Assert.Contains("does not exist", missing.Message);
        using var t = new TempTree("notes.txt");
        var empty = Assert.Throws<CorpusException>(() => new EmoDbLoader().Load(t.Root));
        Assert.Contains("no audio files", empty.Message);
        using var bad = new TempTree("x/garbage.wav", "x/03a01Qa.wav");
        var allBad = Assert.Throws<CorpusException>(() => new EmoDbLoader().Load(bad.Root));
        Assert.Contains("garbage.wav", allBad.Message);
        Assert.Contains("03a01Qa.wav", allBad.Message);
        Assert.Equal(2, allBad.Issues.Count);
    }

    [Fact]
    public void CremaD_reads_names_and_demographics()
    {
        using var t = new TempTree("AudioWAV/1001_DFA_ANG_XX.wav", "AudioWAV/1002_IEO_HAP_HI.wav", "AudioWAV/1003_ABC_SAD_XX.wav", "AudioWAV/1001_DFA_XYZ_XX.wav");
        t.Touch("VideoDemographics.csv", "ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,Caucasian,Not Hispanic\n1002,21,Female,Caucasian,Not Hispanic\n");
        var r = new CremaDLoader().Load(t["AudioWAV"]);
        Assert.Equal(2, r.Utterances.Count);
        var a = r.Utterances[0];
        Assert.Equal(("1001", Emotion.Angry, Gender.Male, "DFA", "unspecified"), (a.Speaker, a.Label, a.Gender, a.TextId, a.Intensity));
        Assert.Equal((Emotion.Happy, Gender.Female, "HI"), (r.Utterances[1].Label, r.Utterances[1].Gender, r.Utterances[1].Intensity));
        Assert.Single(r.Issues, i => i.Kind == LoadIssueKind.Misnamed && i.Message.Contains("ABC"));
        Assert.Single(r.Issues, i => i.Kind == LoadIssueKind.UnknownLabel && i.Message.Contains("XYZ"));
    }

    [Fact]
    public void Tess_reads_speaker_word_and_pleasant_surprise()
    {
        using var t = new TempTree("OAF_angry/OAF_back_angry.wav", "YAF_pleasant_surprised/YAF_bath_ps.wav", "YAF_neutral/YAF_bath_neutral.wav", "OAF_angry/OAF_back_bored.wav");
        var r = new TessLoader().Load(t.Root);
        Assert.Equal(3, r.Utterances.Count);
        var ps = r.Utterances.Single(u => u.OriginalLabel == "ps");
        Assert.Equal((Emotion.Surprised, "YAF", Gender.Female, "bath"), (ps.Label, ps.Speaker, ps.Gender, ps.TextId));
        Assert.Single(r.Issues, i => i.Kind == LoadIssueKind.UnknownLabel);
    }

    [Fact]
    public void Savee_reads_both_layouts_and_detects_duplicates()
    {
        using var t = new TempTree("AudioData/DC/a01.wav", "AudioData/JE/sa03.wav", "AudioData/KL/su15.wav", "flat/JK_n30.wav", "flat/DC_a01.wav", "AudioData/XX/a01.wav");
        var r = new SaveeLoader().Load(t.Root);
        Assert.Equal(4, r.Utterances.Count);
        Assert.Equal(new[] { "DC", "JE", "JK", "KL" }, r.Utterances.Select(u => u.Speaker).Order().ToArray());
        Assert.Contains(r.Utterances, u => u.Speaker == "JE" && u.Label == Emotion.Sad);
        Assert.Contains(r.Utterances, u => u.Speaker == "KL" && u.Label == Emotion.Surprised);
        Assert.All(r.Utterances, u => Assert.Equal(Gender.Male, u.Gender));
        Assert.Single(r.Issues, i => i.Kind == LoadIssueKind.Duplicate && i.Message.Contains("DC_a01"));
        Assert.Single(r.Issues, i => i.Kind == LoadIssueKind.Misnamed && i.Message.Contains("XX"));
    }

    [Fact]
    public void EmoDb_fixture()
    {
        using var t = new TempTree("wav/03a01Wa.wav", "wav/08b10Lc.wav", "wav/16a05Fb.wav", "wav/01a01Wa.wav");
        var r = new EmoDbLoader().Load(t.Root);
        Assert.Equal(3, r.Utterances.Count);
        Assert.Equal((Emotion.Angry, "03", Gender.Male, "a01", "W"), (r.Utterances[0].Label, r.Utterances[0].Speaker, r.Utterances[0].Gender, r.Utterances[0].TextId, r.Utterances[0].OriginalLabel));
        Assert.Equal((Emotion.Boredom, Gender.Female), (r.Utterances[1].Label, r.Utterances[1].Gender));
        Assert.Single(r.Issues, i => i.Message.Contains("speaker 01"));
    }

    [Fact]
    public void Iemocap_reads_evaluations_transcripts_and_dimensions()
    {
        using var t = new TempTree(
            "Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_F000.wav",
            "Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_M000.wav",
            "Session1/sentences/wav/Ses01F_script01_1/Ses01F_script01_1_F000.wav",
            "Session2/sentences/wav/Ses02M_script01_1/Ses02M_script01_1_M003.wav");
        t.Touch("Session1/dialog/EmoEvaluation/Ses01F_impro01.txt",
            "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]\n\n" +
            "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]\nC-E2:\tNeutral;\t()\n\n" +
            "[10.01 - 11.3925]\tSes01F_impro01_M000\texc\t[4.0000, 3.5000, 3.0000]\n\n" +
            "[12.0 - 13.0]\tSes01F_impro01_M001\tang\t[1.5, 4.0, 4.5]\n");
        t.Touch("Session1/dialog/EmoEvaluation/Ses01F_script01_1.txt", "[1.0 - 2.0]\tSes01F_script01_1_F000\tfru\t[2.0, 3.0, 3.5]\n");
        t.Touch("Session2/dialog/EmoEvaluation/Ses02M_script01_1.txt", "[1.0 - 2.0]\tSes02M_script01_1_M003\tsad\t[2.0, 2.0, 2.0]\n");
        t.Touch("Session1/dialog/transcriptions/Ses01F_script01_1.txt", "Ses01F_script01_1_F000 [001.0000-002.0000]: What's he going to say?\n");
        t.Touch("Session2/dialog/transcriptions/Ses02M_script01_1.txt", "Ses02M_script01_1_M003 [001.0000-002.0000]: what's he going to say\n");
        var r = new IemocapLoader().Load(t.Root);
        Assert.Equal(4, r.Utterances.Count);
        var f0 = r.Utterances.Single(u => u.Path.EndsWith("Ses01F_impro01_F000.wav"));
        Assert.Equal((Emotion.Neutral, "Ses01F", "Ses01", Gender.Female, "improvised"), (f0.Label, f0.Speaker, f0.Session, f0.Gender, f0.Elicitation));
        Assert.Equal((2.5, 2.5, 2.5), (f0.Valence!.Value, f0.Arousal!.Value, f0.Dominance!.Value));
        var m0 = r.Utterances.Single(u => u.Path.EndsWith("Ses01F_impro01_M000.wav"));
        Assert.Equal((Emotion.Excited, "Ses01M", Gender.Male, 4.0), (m0.Label, m0.Speaker, m0.Gender, m0.Valence!.Value));
        var scripted = r.Utterances.Where(u => u.Elicitation == "scripted").ToArray();
        Assert.Equal(2, scripted.Length);
        Assert.Equal("what's he going to say", scripted[0].TextId);
        Assert.Equal(scripted[0].TextId, scripted[1].TextId);
        Assert.Single(r.Issues, i => i.Kind == LoadIssueKind.Missing && i.Path.EndsWith("Ses01F_impro01_M001.wav"));

        // The only angry turn has no audio, so the 4-class set would have an empty class: refused, naming it.
        var empty = Assert.Throws<CorpusException>(() => LabelMap.Iemocap4.Apply(r.Utterances));
        Assert.Contains("angry", empty.Message);
        var three = LabelMap.FromJson("""{"merge": {"excited": "happy"}, "classes": ["neutral", "happy", "sad"]}""");
        var four = three.Apply(r.Utterances);
        Assert.Equal(3, four.Utterances.Count);
        Assert.Equal(new[] { Emotion.Neutral, Emotion.Happy, Emotion.Sad }, four.Classes);
        Assert.Contains(four.Utterances, u => u.Label == Emotion.Happy && u.OriginalLabel == "exc");
        Assert.Equal(1, four.Dropped[Emotion.Frustrated]);

        var impro = new IemocapLoader { IncludeScripted = false }.Load(t.Root);
        Assert.Equal(2, impro.Utterances.Count);
        Assert.Equal(2, impro.Excluded["scripted (IncludeScripted=false)"]);
    }

    [Fact]
    public void Shemo_jl_and_esd_fixtures()
    {
        using var s = new TempTree("female/F01A01.wav", "male/M12W07.wav", "male/M12X07.wav");
        var shemo = new ShemoLoader().Load(s.Root);
        Assert.Equal(2, shemo.Utterances.Count);
        Assert.Equal(("F01", Gender.Female, Emotion.Angry), (shemo.Utterances[0].Speaker, shemo.Utterances[0].Gender, shemo.Utterances[0].Label));
        Assert.Equal(("M12", Emotion.Surprised), (shemo.Utterances[1].Speaker, shemo.Utterances[1].Label));
        Assert.Single(shemo.Issues, i => i.Kind == LoadIssueKind.UnknownLabel);

        using var j = new TempTree("JL/female1_angry_10a_1.wav", "JL/male2_excited_3b_2.wav", "JL/male1_apologetic_5a_1.wav", "JL/male1_grumpy_5a_1.wav");
        var jl = new JlCorpusLoader().Load(j.Root);
        Assert.Equal(3, jl.Utterances.Count);
        Assert.Contains(jl.Utterances, u => u.Speaker == "female1" && u.Gender == Gender.Female && u.Label == Emotion.Angry && u.TextId == "10a");
        Assert.Contains(jl.Utterances, u => u.Speaker == "male2" && u.Label == Emotion.Excited);
        Assert.Contains(jl.Utterances, u => u.Label == Emotion.Apologetic);
        Assert.Single(jl.Issues, i => i.Kind == LoadIssueKind.UnknownLabel);

        using var e = new TempTree("0011/Angry/train/0011_000351.wav", "0011/Neutral/test/0011_000001.wav", "0002/Surprise/0002_001750.wav", "0011/Happy/0011_000100.wav");
        var esd = new EsdLoader().Load(e.Root);
        Assert.Equal(3, esd.Utterances.Count);
        var ang = esd.Utterances.Single(u => u.Label == Emotion.Angry);
        var neu = esd.Utterances.Single(u => u.Label == Emotion.Neutral);
        Assert.Equal(("0011", Gender.Male, "en-001"), (ang.Speaker, ang.Gender, ang.TextId));
        Assert.Equal(ang.TextId, neu.TextId);
        var sur = esd.Utterances.Single(u => u.Label == Emotion.Surprised);
        Assert.Equal((Gender.Female, "zh-350"), (sur.Gender, sur.TextId));
        Assert.Single(esd.Issues, i => i.Message.Contains("belongs to Neutral"));
    }

    [Fact]
    public void Shemo_reads_transcripts_from_the_official_json_and_a_transcript_folder()
    {
        // shemo.json (the official release's labels + transcripts): the same sentence spoken by two speakers, written
        // once with a BOM, a zero-width non-joiner and final punctuation and once without, gets one text id.
        using var s = new TempTree("female/F01A01.wav", "male/M02N03.wav", "male/M02S04.wav", "female/F03H05.wav");
        s.Touch("shemo.json", """
            [ {"id": "F01A01", "gender": "female", "emotion": "angry", "transcript": "\ufeffدیگه نمی\u200cتونم تحمل کنم."},
              {"id": "M02N03", "gender": "male", "emotion": "neutral", "transcript": "دیگه  نمیتونم تحمل کنم"},
              {"id": "M02S04", "transcript": "چرا به این زودی میرین؟"},
              {"id": 7} ]
            """);
        // A transcript folder fills what the JSON lacks; its phonetic copy is ignored.
        s.Touch("transcript/final text/F03H05.txt", "چرا به این زودی میرین");
        s.Touch("transcript/final phonetic/F03H05.txt", "tʃerɑ be ʔin zudi mirin");
        var r = new ShemoLoader().Load(s.Root);
        var byId = r.Utterances.ToDictionary(u => Path.GetFileNameWithoutExtension(u.Path));
        Assert.Equal(4, byId.Count);
        Assert.All(byId.Values, u => Assert.Matches("^t[0-9a-f]{12}$", u.TextId!));
        Assert.Equal(byId["F01A01"].TextId, byId["M02N03"].TextId);
        Assert.Equal(byId["M02S04"].TextId, byId["F03H05"].TextId);
        Assert.NotEqual(byId["F01A01"].TextId, byId["M02S04"].TextId);
        Assert.Single(r.Issues, i => i.Kind == LoadIssueKind.BadMetadata && i.Message.Contains("1 record"));

        // The audit then reports each shared sentence across a speaker-independent split (a warning, not a leak).
        var split = new Split { Name = "f", Train = [byId["F01A01"], byId["F03H05"]], Validation = [], Test = [byId["M02N03"], byId["M02S04"]] };
        var report = LeakageAudit.Audit(split, new LeakageAuditOptions { CheckAudio = false });
        Assert.Equal(2, report.Findings.Count(f => f.Kind == LeakageKind.SharedText));
        Assert.False(report.IsLeaky);

        // Without transcripts nothing is invented; a malformed JSON is reported, not fatal.
        using var bare = new TempTree("female/F01A01.wav");
        bare.Touch("shemo.json", "{ not json");
        var b = new ShemoLoader().Load(bare.Root);
        Assert.Null(Assert.Single(b.Utterances).TextId);
        Assert.Single(b.Issues, i => i.Kind == LoadIssueKind.BadMetadata);
    }

    [Fact]
    public void Folder_per_label_with_speaker_pattern()
    {
        using var t = new TempTree("angry/spk1_a.wav", "Happiness/spk2_b.wav", "bogus/spk1_c.wav", "sad/nospeaker.wav", "loose.wav");
        var r = new FolderPerLabelLoader { SpeakerPattern = new(@"^(?<speaker>spk\d+)_") }.Load(t.Root);
        Assert.Equal(2, r.Utterances.Count);
        Assert.Contains(r.Utterances, u => u.Label == Emotion.Happy && u.Speaker == "spk2");
        Assert.Equal(3, r.Issues.Count);
        Assert.Contains(r.Issues, i => i.Kind == LoadIssueKind.UnknownLabel && i.Message.Contains("bogus"));
    }

    [Theory]
    [InlineData("m.csv", "file,emotion,who,valence\n\"a, b.wav\",angry,s1,0.5\nc.wav,happiness,s2,\nd.wav,weird,s3,1\nmissing.wav,sad,s4,1\ne.wav,sad,s4,notanumber\n")]
    [InlineData("m.tsv", "file\temotion\twho\tvalence\na, b.wav\tangry\ts1\t0.5\nc.wav\thappiness\ts2\t\nd.wav\tweird\ts3\t1\nmissing.wav\tsad\ts4\t1\ne.wav\tsad\ts4\tnotanumber\n")]
    [InlineData("m.jsonl", "\n{\"file\":\"a, b.wav\",\"emotion\":\"angry\",\"who\":\"s1\",\"valence\":0.5}\n{\"file\":\"c.wav\",\"emotion\":\"happiness\",\"who\":\"s2\"}\n{\"file\":\"d.wav\",\"emotion\":\"weird\",\"who\":\"s3\"}\n{\"file\":\"missing.wav\",\"emotion\":\"sad\",\"who\":\"s4\"}\n{\"file\":\"e.wav\",\"emotion\":\"sad\",\"valence\":\"notanumber\"}\nnot json\n")]
    public void Manifest_with_custom_columns(string name, string content)
    {
        using var t = new TempTree("audio/a, b.wav", "audio/c.wav", "audio/d.wav", "audio/e.wav");
        var manifest = t.Touch("audio/" + name, content);
        var r = new ManifestLoader { PathColumn = "file", LabelColumn = "emotion", SpeakerColumn = "who", Corpus = "mine" }.Load(manifest);
        Assert.Equal(2, r.Utterances.Count);
        Assert.Equal((Emotion.Angry, "s1", 0.5), (r.Utterances[0].Label, r.Utterances[0].Speaker, r.Utterances[0].Valence!.Value));
        Assert.Equal((Emotion.Happy, (double?)null), (r.Utterances[1].Label, r.Utterances[1].Valence));
        Assert.Equal("mine:c", r.Utterances[1].Id);
        Assert.Contains(r.Issues, i => i.Kind == LoadIssueKind.UnknownLabel && i.Message.Contains("weird") && i.Path.EndsWith(":4"));
        Assert.Contains(r.Issues, i => i.Kind == LoadIssueKind.Missing && i.Message.Contains("missing.wav"));
        Assert.Contains(r.Issues, i => i.Kind == LoadIssueKind.BadMetadata && i.Path.EndsWith(":6"));
    }

    [Fact]
    public void Corpus_names_parse_and_unknown_names_list_the_known_ones()
    {
        Assert.Equal(CorpusKind.CremaD, CorpusLoaders.ParseKind("CREMA-D"));
        Assert.IsType<IemocapLoader>(CorpusLoaders.Create(CorpusLoaders.ParseKind("iemocap")));
        var ex = Assert.Throws<InvalidOptionsException>(() => CorpusLoaders.ParseKind("foo"));
        Assert.Contains("ravdess", ex.Message);
    }
}
