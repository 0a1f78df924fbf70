using System.Text.Json.Nodes;
using SpeechEmotion.Models.Classical;
using SpeechEmotion.Training;

namespace SpeechEmotion.Tests.Classical;

public class ClassicalSpecTests
{
    [Fact]
    public void Defaults_reproduce_the_reference_baselines()
    {
        var svm = ClassicalModelSpec.Parse("svm-rbf", null);
        Assert.Equal(ClassicalBaselines.SvmSearch, svm.Search);
        Assert.Equal(35, HyperparameterSearch.Candidates(svm.Search!, 88).Count);
        var lr = ClassicalModelSpec.Parse("logistic-regression", new JsonObject());
        Assert.Equal(ClassicalBaselines.LogisticSearch with { GammaSteps = 1 }, lr.Search);
        var knn = ClassicalModelSpec.Parse("knn", null);
        Assert.Null(knn.Search);
        Assert.Equal((10, NeighbourWeighting.Distance), (knn.Knn.K, knn.Knn.Weighting));
        var linear = ClassicalModelSpec.Parse("svm-linear", JsonNode.Parse("""{"c_range": [0.01, 1, 3], "class_weights": "balanced", "multiclass": "one-vs-rest"}""")!.AsObject());
        Assert.Equal([0.01, 0.1, 1], HyperparameterSearch.Candidates(linear.Search!, 10).Select(c => Math.Round(c.C, 9)).ToArray());
        var svm2 = Assert.IsType<Svm>(linear.Create(new HyperparameterCandidate(2, 0)));
        Assert.Equal((KernelKind.Linear, MultiClassStrategy.OneVsRest, 2.0), (svm2.Options.Kernel, svm2.Options.MultiClass, svm2.Options.C));
        // Balanced weights: n / (classes × n_c).
        Assert.Equal([0.75f, 1.5f], linear.Weights([0, 0, 1], 2)!);
        Assert.Null(svm.Weights([0, 1], 2));
        var fixedSvm = ClassicalModelSpec.Parse("svm-rbf", JsonNode.Parse("""{"search": "none", "c": 3, "gamma": 0.5}""")!.AsObject());
        Assert.Null(fixedSvm.Search);
        Assert.Equal(new HyperparameterCandidate(3, 0.5), fixedSvm.Fixed);
    }

    [Fact]
    public void Every_bad_parameter_is_reported_at_once()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => ClassicalModelSpec.Parse("svm-rbf",
            JsonNode.Parse("""{"search": "bayes", "c_range": [0, 1, 2], "k": 3, "inner_folds": 1, "tolerance": 1}""")!.AsObject()));
        Assert.Equal(5, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Contains("search must be one of grid, random, none"));
        Assert.Contains(e.Problems, p => p.Contains("c_range"));
        Assert.Contains(e.Problems, p => p.Contains("'k' applies to knn only"));
        Assert.Contains(e.Problems, p => p.Contains("inner_folds"));
        Assert.Contains(e.Problems, p => p.Contains("unknown parameter 'tolerance'"));
        Assert.Throws<InvalidOptionsException>(() => ClassicalModelSpec.Parse("forest", null));
        Assert.Throws<InvalidOptionsException>(() => ClassicalModelSpec.Parse("knn", JsonNode.Parse("""{"search": "grid"}""")!.AsObject()));
    }

    [Fact]
    public void Experiment_files_accept_classical_models_on_utterance_features_only()
    {
        var dir = SharedData.Path("datasets");
        string Yaml(string set) => $"name: x\ncorpora:\n  - name: ravdess\n    root: {dir}/ravdess-speech-16k\nfeatures:\n  set: {set}\nmodel:\n  architecture: svm-rbf\n  parameters:\n    c_range: [1, 10, 2]\n";
        var ok = ExperimentYaml.Parse(Yaml("compare16"), dir);
        Assert.Equal("svm-rbf", ok.Model.Architecture);
        Assert.True(ClassicalRunner.Handles(ok));
        var e = Assert.Throws<InvalidOptionsException>(() => ExperimentYaml.Parse(Yaml("lld"), dir));
        Assert.Contains(e.Problems, p => p.StartsWith("line ") && p.Contains("one vector per utterance"));
    }
}
