using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Tests.Classical;

public class SearchAndFoldsTests
{
    [Fact]
    public void RavdessReferenceFoldsAreContiguousBlocksOfFourActors()
    {
        var actors = Enumerable.Range(1, 20).SelectMany(a => Enumerable.Repeat(a, 3)).ToArray();
        // The RAVDESS rule (Corpora.Protocols) and the generic contiguous assignment agree on actors 1-20.
        var folds = GroupKFold.Assign(actors, SpeechEmotion.Corpora.Protocols.Ravdess5FoldCount, GroupFoldAssignment.Contiguous);
        for (var i = 0; i < actors.Length; i++) Assert.Equal((actors[i] - 1) / 4, folds[i]);
        for (var i = 0; i < actors.Length; i++) Assert.Equal(SpeechEmotion.Corpora.Protocols.Ravdess5FoldOfActor(actors[i]), folds[i]);
        var rr = GroupKFold.Assign(actors, 5, GroupFoldAssignment.RoundRobin);
        for (var i = 0; i < actors.Length; i++) Assert.Equal((actors[i] - 1) % 5, rr[i]);
        Assert.Throws<ClassifierInputException>(() => GroupKFold.Assign([1, 1, 2], 3));
        Assert.Throws<ClassifierInputException>(() => GroupKFold.Assign([], 2));
    }

    [Fact]
    public void GridIsLogSpacedAndRandomIsSeeded()
    {
        var grid = HyperparameterSearch.Candidates(new HyperparameterSearchOptions { CMin = 0.1, CMax = 1000, CSteps = 5, GammaMin = 0.01, GammaMax = 1, GammaSteps = 3, GammaPerDimension = false }, 10);
        Assert.Equal(15, grid.Count);
        Assert.Equal([0.1, 1, 10, 100, 1000], grid.Select(c => c.C).Distinct().Select(v => Math.Round(v, 9)).ToArray());
        Assert.Equal([0.01, 0.1, 1], grid.Take(3).Select(c => Math.Round(c.Gamma, 12)).ToArray());
        var perDim = HyperparameterSearch.Candidates(new HyperparameterSearchOptions { GammaSteps = 1, CSteps = 1, GammaMin = 2 }, 8);
        Assert.Equal(0.25, Assert.Single(perDim).Gamma, 12);

        var random = new HyperparameterSearchOptions { Strategy = SearchStrategy.Random, RandomTrials = 30, Seed = 42 };
        var a = HyperparameterSearch.Candidates(random, 4);
        var b = HyperparameterSearch.Candidates(random, 4);
        var c = HyperparameterSearch.Candidates(random with { Seed = 43 }, 4);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, t => Assert.InRange(t.C, random.CMin, random.CMax));
        Assert.All(a, t => Assert.InRange(t.Gamma, random.GammaMin / 4, random.GammaMax / 4));
    }

    private static (float[] X, int[] Y, int[] Groups) SpeakerProblem(int seed)
    {
        // 12 "speakers", each with its own offset, 3 classes.
        var rng = new Random(seed);
        var x = new List<float>();
        var y = new List<int>();
        var g = new List<int>();
        for (var s = 1; s <= 12; s++)
        {
            var offset = TestData.Normal(rng) * 0.5;
            for (var t = 0; t < 15; t++)
            {
                var c = t % 3;
                x.Add((float)(offset + (c == 0 ? 1.5 : c == 1 ? -1.5 : 0) + TestData.Normal(rng)));
                x.Add((float)(offset + (c == 2 ? 1.5 : 0) + TestData.Normal(rng)));
                x.Add((float)TestData.Normal(rng));
                y.Add(c);
                g.Add(s);
            }
        }
        return (x.ToArray(), y.ToArray(), g.ToArray());
    }

    [Theory]
    [InlineData(SearchStrategy.Grid)]
    [InlineData(SearchStrategy.Random)]
    public void SearchChoosesTheSameCAndGammaForAFixedSeed(SearchStrategy strategy)
    {
        var (x, y, g) = SpeakerProblem(51);
        var options = new HyperparameterSearchOptions
        {
            Strategy = strategy, CSteps = 3, GammaSteps = 3, RandomTrials = 6, Seed = 7, InnerFolds = 3,
        };
        var first = HyperparameterSearch.Run(x, 3, y, 3, g, ClassicalBaselines.RbfSvm, options);
        var second = HyperparameterSearch.Run(x, 3, y, 3, g, ClassicalBaselines.RbfSvm, options);
        Assert.Equal(first.Best, second.Best);
        Assert.Equal(first.Trials.Select(t => t.MeanScore), second.Trials.Select(t => t.MeanScore));
        Assert.Equal(strategy == SearchStrategy.Grid ? 9 : 6, first.Trials.Count);
        Assert.Equal(first.Trials.Max(t => t.MeanScore), first.BestScore);
        Assert.True(first.BestScore > 0.6, $"inner UA {first.BestScore}");
    }

    [Fact]
    public void TrialScoresEqualIndependentInnerFoldFits()
    {
        // The search shares one dot-product matrix per fold across candidates; results must be identical
        // to fitting each inner fold from scratch with the public API.
        var (x, y, g) = SpeakerProblem(53);
        var options = new HyperparameterSearchOptions { CSteps = 2, GammaSteps = 2, InnerFolds = 3 };
        var result = HyperparameterSearch.Run(x, 3, y, 3, g, ClassicalBaselines.RbfSvm, options);
        var inner = GroupKFold.Assign(g, 3);
        foreach (var trial in result.Trials)
            for (var f = 0; f < 3; f++)
            {
                var (train, val) = GroupKFold.Split(inner, f);
                var pipeline = new ClassicalPipeline(ClassicalBaselines.RbfSvm(trial.Candidate))
                    .Fit(GroupKFold.TakeRows(x, 3, train), 3, GroupKFold.Take<int>(y, train), 3);
                var pred = pipeline.Predict(GroupKFold.TakeRows(x, 3, val));
                var truth = GroupKFold.Take<int>(y, val);
                var ua = Enumerable.Range(0, 3).Average(c =>
                    truth.Select((t, i) => (t, i)).Where(p => p.t == c).Average(p => pred[p.i] == c ? 1.0 : 0.0));
                Assert.Equal(ua, trial.FoldScores[f], 12);
            }
    }

    /// <summary>Records every training set it is fitted on, to prove what the search saw.</summary>
    private sealed class Spy(List<float[]> seen) : IClassifier
    {
        private readonly KNearestNeighbours _inner = new(new KNearestNeighboursOptions { K = 3 });
        public int Classes => _inner.Classes;
        public int Dimensions => _inner.Dimensions;
        public bool IsFitted => _inner.IsFitted;
        public int DecisionColumns => _inner.DecisionColumns;
        public void Fit(float[] x, int d, int[] y, int classes, float[]? sampleWeights = null, float[]? classWeights = null)
        {
            lock (seen) seen.Add((float[])x.Clone());
            _inner.Fit(x, d, y, classes, sampleWeights, classWeights);
        }
        public float[] PredictProba(ReadOnlySpan<float> x) => _inner.PredictProba(x);
        public int[] Predict(ReadOnlySpan<float> x) => _inner.Predict(x);
        public float[] DecisionFunction(ReadOnlySpan<float> x) => _inner.DecisionFunction(x);
    }

    [Fact]
    public void OuterTestFoldIsNeverSeenByTheSearchOrTheFit()
    {
        var (x, y, g) = SpeakerProblem(52);
        // Tag each row with a unique marker in feature 2 so any leak is visible.
        for (var i = 0; i < y.Length; i++) x[i * 3 + 2] = 1000 + i;
        var folds = GroupKFold.Assign(g, 4);
        var seen = new List<float[]>();
        var results = ClassicalCrossValidation.Run(x, 3, y, 3, g, folds, _ => new Spy(seen), new HyperparameterCandidate(1, 1),
            new HyperparameterSearchOptions { CSteps = 2, GammaSteps = 1, InnerFolds = 3 }, standardise: false);
        Assert.Equal(4, results.Count);
        var fitsPerFold = seen.Count / 4;
        Assert.Equal(2 * 3 + 1, fitsPerFold); // 2 candidates × 3 inner folds + the final fit
        for (var f = 0; f < 4; f++)
        {
            var testMarkers = results[f].TestRows.Select(i => 1000f + i).ToHashSet();
            Assert.All(results[f].TestRows, i => Assert.Equal(f, folds[i]));
            foreach (var fit in seen.Skip(f * fitsPerFold).Take(fitsPerFold))
                for (var i = 2; i < fit.Length; i += 3)
                    Assert.DoesNotContain(fit[i], testMarkers);
        }
    }
}
