using SpeechEmotion.Evaluation;
using SpeechEmotion.Models.Classical;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Classical;

/// <summary>
/// The classical reference baselines on openSMILE eGeMAPS functionals of RAVDESS (actors 01–20, 8 classes,
/// 5 speaker-independent folds of 4 actors). The default run uses a reduced inner grid to stay fast; with
/// SER_FULL=1 the full <see cref="ClassicalBaselines"/> grids run and the printed numbers are the reference.
/// </summary>
public class RavdessBaselineTests(ITestOutputHelper output)
{
    private static readonly bool Full = Environment.GetEnvironmentVariable("SER_FULL") == "1";

    [Fact]
    public void DataAndFoldsAreTheReferenceProtocol()
    {
        var data = RavdessEgemaps.Load();
        Assert.Equal(1200, data.Count);
        Assert.Equal(88, data.D);
        Assert.Equal(Enumerable.Range(1, 20), data.Actors.Distinct().Order());
        // RAVDESS speech: neutral has half as many clips as each other emotion.
        Assert.Equal(80, data.Y.Count(c => c == 0));
        Assert.All(Enumerable.Range(1, 7), c => Assert.Equal(160, data.Y.Count(v => v == c)));
        var folds = data.Actors.Select(SpeechEmotion.Corpora.Protocols.Ravdess5FoldOfActor).ToArray();
        Assert.All(Enumerable.Range(0, 5), f => Assert.Equal(240, folds.Count(v => v == f)));
    }

    private CrossValidationSummary Report(string model, IReadOnlyList<ClassicalFoldResult> results, TimeSpan elapsed)
    {
        var reports = results.Select(r => ClassificationMetrics.Compute(r.Truth, r.Predicted, RavdessEgemaps.Classes, RavdessEgemaps.ClassNames)).ToArray();
        var s = ClassificationMetrics.Aggregate(reports);
        output.WriteLine($"{model}: UA {s.UnweightedAverageRecall.ToString(100)} %, WA {s.WeightedAccuracy.ToString(100)} %, macro-F1 {s.MacroF1.ToString(100)} % ({elapsed.TotalSeconds:F1} s)");
        output.WriteLine("  per fold UA: " + string.Join(", ", reports.Select(r => (r.UnweightedAverageRecall * 100).ToString("F1"))));
        if (results[0].Search is not null)
            output.WriteLine("  chosen: " + string.Join("; ", results.Select(r => model.Contains("SVM") ? $"C={r.Chosen.C:G3} γ={r.Chosen.Gamma:G3}" : $"C={r.Chosen.C:G3}")));
        return s;
    }

    [Fact]
    public void StandardisedRbfSvmWithInnerSearchBeatsChanceClearly()
    {
        var data = RavdessEgemaps.Load();
        var folds = data.Actors.Select(SpeechEmotion.Corpora.Protocols.Ravdess5FoldOfActor).ToArray();
        var search = Full ? ClassicalBaselines.SvmSearch : ClassicalBaselines.SvmSearch with { CMin = 1, CMax = 100, CSteps = 3, GammaMin = 0.3, GammaMax = 3, GammaSteps = 3 };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var results = ClassicalCrossValidation.Run(data.X, data.D, data.Y, RavdessEgemaps.Classes, data.Actors, folds,
            ClassicalBaselines.RbfSvm, new HyperparameterCandidate(1, 1.0 / data.D), search);
        var s = Report(Full ? "RBF-SVM (full grid)" : "RBF-SVM (3×3 grid)", results, watch.Elapsed);
        // Chance is 12.5 %; published speaker-independent eGeMAPS+SVM results on RAVDESS are around 45–55 % UA.
        Assert.True(s.UnweightedAverageRecall.Mean > 0.38, $"UA {s.UnweightedAverageRecall.Mean}");
        Assert.True(s.WeightedAccuracy.Mean > 0.38, $"WA {s.WeightedAccuracy.Mean}");
    }

    [Fact]
    public void LogisticRegressionAndKnnBeatChance()
    {
        var data = RavdessEgemaps.Load();
        var folds = data.Actors.Select(SpeechEmotion.Corpora.Protocols.Ravdess5FoldOfActor).ToArray();
        var search = Full ? ClassicalBaselines.LogisticSearch : ClassicalBaselines.LogisticSearch with { CMin = 0.1, CMax = 1, CSteps = 2 };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var lr = ClassicalCrossValidation.Run(data.X, data.D, data.Y, RavdessEgemaps.Classes, data.Actors, folds,
            ClassicalBaselines.Logistic, new HyperparameterCandidate(1, 0), search);
        var sLr = Report("Logistic regression", lr, watch.Elapsed);
        watch.Restart();
        var knn = ClassicalCrossValidation.Run(data.X, data.D, data.Y, RavdessEgemaps.Classes, data.Actors, folds,
            ClassicalBaselines.Knn, new HyperparameterCandidate(1, 0));
        var sKnn = Report("kNN (k=10, distance-weighted)", knn, watch.Elapsed);
        Assert.True(sLr.UnweightedAverageRecall.Mean > 0.35, $"LR UA {sLr.UnweightedAverageRecall.Mean}");
        Assert.True(sKnn.UnweightedAverageRecall.Mean > 0.25, $"kNN UA {sKnn.UnweightedAverageRecall.Mean}");
    }
}
