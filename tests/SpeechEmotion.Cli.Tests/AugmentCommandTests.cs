using SpeechEmotion.Augmentation;
using SpeechEmotion.Corpora;

namespace SpeechEmotion.Cli.Tests;

/// <summary><c>ser augment</c>: copies on disk, a manifest naming their sources that loads as a corpus the audit can follow.</summary>
public sealed class AugmentCommandTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("ser-augment-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_tmp, recursive: true); } catch (IOException) { }
    }

    // A manifest of 4 real RAVDESS takes of two actors.
    private string Input()
    {
        var ravdess = Path.Combine(CorporaCommandTests.Datasets(), "ravdess-speech-16k");
        var rows = new[] { "01", "02" }.SelectMany(a => Directory.GetFiles(Path.Combine(ravdess, $"Actor_{a}"), "*.wav").Order().Take(2)
            .Select(f => $"{f},{(Path.GetFileName(f)[6..8] == "01" ? "neutral" : "calm")},{a}"));
        var path = Path.Combine(_tmp, "in.csv");
        File.WriteAllLines(path, ["path,label,speaker", .. rows]);
        return path;
    }

    [Fact]
    public void Writes_copies_and_a_manifest_whose_rows_name_their_source_and_is_reproducible()
    {
        var input = Input();
        string Run(string name, params string[] extra)
        {
            var dir = Path.Combine(_tmp, name);
            var (code, output, err) = CliRunner.Run(["augment", input, dir, "--preset", "default", "--copies", "2", .. extra]);
            Assert.True(code == 0, err);
            Assert.Contains("8 copies of 4 utterances", output);
            return dir;
        }
        var a = Run("a", "--seed", "7"); var b = Run("b", "--seed", "7"); var c = Run("c", "--seed", "8");
        var manifest = AugmentationMaterializer.ReadManifest(Path.Combine(a, AugmentationMaterializer.ManifestName));
        Assert.Equal(8, manifest.Count);
        Assert.All(manifest, m => Assert.True(File.Exists(Path.Combine(a, m.Path))));
        Assert.Equal(2, manifest.Count(m => m.SourceUtterance == manifest[0].SourceUtterance));
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, manifest[1].Path)), File.ReadAllBytes(Path.Combine(b, manifest[1].Path)));
        Assert.NotEqual(File.ReadAllText(Path.Combine(a, AugmentationMaterializer.ManifestName)), File.ReadAllText(Path.Combine(c, AugmentationMaterializer.ManifestName)));
        Assert.Empty(Directory.GetFiles(a, "*.tmp"));

        // Loaded as a corpus, every copy remembers its original, so the audit keeps it on the original's side.
        var loaded = CorpusLoaders.Load(CorpusKind.Manifest, Path.Combine(a, AugmentationMaterializer.ManifestName)).Utterances;
        Assert.Equal(8, loaded.Count);
        Assert.All(loaded, u => Assert.Equal(manifest.Single(m => Path.GetFileName(u.Path) == m.Path).SourceUtterance, u.SourceUtterance));
    }

    [Fact]
    public void Usage_errors_exit_2_and_bad_recipes_exit_3()
    {
        var input = Input();
        Assert.Equal(2, CliRunner.Run("augment", input, Path.Combine(_tmp, "o")).Code);                                   // neither recipe nor preset
        Assert.Equal(2, CliRunner.Run("augment", input, Path.Combine(_tmp, "o"), "--preset", "nope").Code);
        Assert.Equal(2, CliRunner.Run("augment", _tmp, Path.Combine(_tmp, "o"), "--preset", "default").Code);             // a folder needs --corpus
        var recipe = Path.Combine(_tmp, "bad.yaml");
        File.WriteAllText(recipe, "waveform:\n  - {type: noise, snr_db: [5, 20], colour: pink}\n");
        var (code, _, err) = CliRunner.Run("augment", input, Path.Combine(_tmp, "o"), "--recipe", recipe);
        Assert.Equal(3, code);
        Assert.Contains("line 2", err);
        Assert.Contains("colour", err);
    }

    [Fact]
    public void Recipe_from_an_experiment_file_uses_its_augmentation_section_and_preset()
    {
        var input = Input();
        var recipe = Path.Combine(_tmp, "experiment.yaml");
        File.WriteAllText(recipe, "name: x\nmodel: { architecture: functionals-mlp }\naugmentation:\n  preset: default\n  copies: 9\n  placement: per-fold\n  seed: 4\n");
        var dir = Path.Combine(_tmp, "e");
        var (code, output, err) = CliRunner.Run("augment", input, dir, "--recipe", recipe, "--copies", "3");
        Assert.True(code == 0, err);
        Assert.Contains("12 copies of 4 utterances (seed 4)", output);
        var manifest = AugmentationMaterializer.ReadManifest(Path.Combine(dir, AugmentationMaterializer.ManifestName));
        Assert.True(manifest.Count(m => m.Transforms != "none") >= 8, "the default preset should change most copies");
    }
}
