using System.Text.Json;

namespace SpeechEmotion.Cli.Tests;

/// <summary>Classical models through <c>ser cv</c> / <c>ser evaluate</c>, and <c>ser audit</c> on experiment files.</summary>
public sealed class ClassicalExperimentTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("ser-cli-classical-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_tmp, recursive: true); } catch (IOException) { }
    }

    // RAVDESS actors 01-04 (240 clips), eGeMAPS, a small RBF grid; 2 speaker folds of 2 actors.
    private string Experiment(string name, string protocol, string model = "svm-rbf", string parameters = "    c_range: [1, 10, 2]\n    gamma_range: [0.3, 1, 2]\n    inner_folds: 2\n")
    {
        var path = Path.Combine(_tmp, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            corpora:
              - name: ravdess
                root: shared:datasets/ravdess-speech-16k
                speakers: ["01", "02", "03", "04"]
            features:
              set: egemaps-v02
            model:
              architecture: {model}
              parameters:
            {parameters}
            protocol:
            {protocol}
            output: {Path.Combine(_tmp, "runs", name)}

            """);
        return path;
    }

    [Fact]
    public void Svm_cross_validates_saves_its_fold_models_and_re_evaluates_them()
    {
        var yaml = Experiment("svm", "  kind: speaker-kfold\n  k: 2\n  audit_audio: false");
        var (code, output, err) = CliRunner.Run("cv", yaml);
        Assert.True(code == 0, output + err);
        var run = Path.Combine(_tmp, "runs", "svm");
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "report.json")));
        var root = report.RootElement;
        Assert.Equal("svm-rbf", root.GetProperty("architecture").GetString());
        Assert.False(root.GetProperty("leaky").GetBoolean());
        var ua = root.GetProperty("summary").GetProperty("unweighted_average_recall").GetProperty("mean").GetDouble();
        Assert.InRange(ua, 0.16, 1.0); // 8 classes, 2 training actors per fold: chance is 0.125
        foreach (var fold in new[] { "fold1", "fold2" })
        {
            Assert.True(File.Exists(Path.Combine(run, fold, "model.classical.json")));
            using var search = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, fold, "search.json")));
            // The inner search saw only the 2 training actors of the fold, never the test actors.
            Assert.Equal(2, search.RootElement.GetProperty("inner_speakers").GetArrayLength());
            Assert.Equal(4, search.RootElement.GetProperty("trials").GetArrayLength());
        }
        (code, output, err) = CliRunner.Run("evaluate", yaml);
        Assert.True(code == 0, output + err);
        using var again = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "report.json")));
        Assert.Equal(ua, again.RootElement.GetProperty("summary").GetProperty("unweighted_average_recall").GetProperty("mean").GetDouble(), 12);
    }

    [Fact]
    public void Logistic_regression_and_knn_run_through_the_same_trainer()
    {
        foreach (var (model, parameters) in new[] { ("logistic-regression", "    c_range: [0.1, 1, 2]\n    inner_folds: 2\n"), ("knn", "    k: 5\n") })
        {
            var yaml = Experiment(model, "  kind: speaker-kfold\n  k: 2\n  folds: [1]\n  audit_audio: false", model, parameters);
            var (code, output, err) = CliRunner.Run("cv", yaml);
            Assert.True(code == 0, model + output + err);
            Assert.Contains("UA", output);
        }
    }

    [Fact]
    public void Bad_classical_parameters_are_reported_with_their_lines()
    {
        var yaml = Experiment("bad", "  kind: speaker-kfold\n  k: 2", "svm-rbf", "    c_range: [10, 1, 2]\n    k: 5\n    kernel: poly\n");
        var (code, _, err) = CliRunner.Run("cv", yaml);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("c_range", err);
        Assert.Contains("'k' applies to knn only", err);
        Assert.Contains("unknown parameter 'kernel'", err);
        Assert.Contains("line ", err);
    }

    [Fact]
    public void Audit_of_an_experiment_file_reports_every_fold_and_fails_when_leaky()
    {
        var clean = Experiment("clean", "  kind: speaker-kfold\n  k: 2");
        var (code, output, err) = CliRunner.Run("audit", clean, "--no-audio");
        Assert.True(code == 0, output + err);
        Assert.Contains("Per fold:", output);
        Assert.Contains("fold1: train", output);
        Assert.Contains("fold2: train", output);
        Assert.Contains("clean", output);

        // The per-utterance random split: every actor on both sides. Audit and training refuse it alike.
        var leaky = Experiment("leaky", "  kind: random\n  audit_audio: false");
        (code, output, err) = CliRunner.Run("audit", leaky, "--no-audio");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("SharedSpeaker (Blocking): 4", output);
        Assert.Contains("LEAKY (4 SharedSpeaker)", output);
        Assert.Contains("--allow-leakage", err);
        (code, _, err) = CliRunner.Run("cv", leaky);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--allow-leakage", err);
        (code, output, _) = CliRunner.Run("audit", leaky, "--no-audio", "--allow-leakage");
        Assert.Equal(0, code);
        Assert.Contains("LEAKAGE ALLOWED", output);
    }
}
