using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Tests.Classical;

public class BadInputTests
{
    public static TheoryData<string> Models => new() { "svm", "logistic", "knn" };

    private static IClassifier Make(string name) => name switch
    {
        "svm" => new Svm(),
        "logistic" => new LogisticRegression(),
        _ => new KNearestNeighbours(),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void TrainingProblemsRaiseTypedErrors(string name)
    {
        float[] x = [0, 1, 1, 0, 2, 2, 3, 1];
        int[] y = [0, 1, 0, 1];
        var nan = (float[])x.Clone();
        nan[5] = float.NaN;
        var e = Assert.Throws<ClassifierInputException>(() => Make(name).Fit(nan, 2, y, 2));
        Assert.Contains("[2, 1]", e.Message);
        Assert.Throws<ClassifierInputException>(() => Make(name).Fit(x, 2, [0, 1, 0], 2));
        Assert.Throws<ClassifierInputException>(() => Make(name).Fit(x, 3, y, 2));
        Assert.Contains("single class", Assert.Throws<ClassifierInputException>(() => Make(name).Fit(x, 2, [1, 1, 1, 1], 2)).Message);
        Assert.Throws<ClassifierInputException>(() => Make(name).Fit([], 2, [], 2));
        Assert.Throws<ClassifierInputException>(() => Make(name).Fit(x, 2, [0, 1, 0, 2], 2));
        Assert.Throws<ClassifierInputException>(() => Make(name).Fit(x, 2, y, 2, sampleWeights: [1, 1, 1]));
        Assert.Throws<ClassifierInputException>(() => Make(name).Fit(x, 2, y, 2, sampleWeights: [1, -1, 1, 1]));
        Assert.Throws<ClassifierInputException>(() => Make(name).Fit(x, 2, y, 2, classWeights: [1f]));
        Assert.Throws<ClassifierInputException>(() => Make(name).Predict(x));

        var model = Make(name);
        model.Fit(x, 2, y, 2);
        Assert.Throws<ClassifierInputException>(() => model.Predict([1f, 2f, 3f]));
        Assert.Throws<ClassifierInputException>(() => model.PredictProba([1f, float.PositiveInfinity]));
        Assert.IsAssignableFrom<SpeechEmotionException>(new ClassifierInputException("x"));
    }

    [Fact]
    public void InvalidOptionsListEveryProblem()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => new Svm(new SvmOptions { C = -1, Gamma = double.NaN, Tolerance = 0, ProbabilityFolds = 1 }));
        Assert.Equal(4, e.Problems.Count);
        Assert.Equal(2, Assert.Throws<InvalidOptionsException>(() => new LogisticRegression(new LogisticRegressionOptions { C = 0, Memory = 0 })).Problems.Count);
        Assert.Single(Assert.Throws<InvalidOptionsException>(() => new KNearestNeighbours(new KNearestNeighboursOptions { K = 0 })).Problems);
        Assert.Equal(3, Assert.Throws<InvalidOptionsException>(() =>
            HyperparameterSearch.Candidates(new HyperparameterSearchOptions { CMin = 10, CMax = 1, InnerFolds = 1, GammaSteps = 0 }, 3)).Problems.Count);
    }

    [Fact]
    public void SearchRejectsMismatchedGroupsAndTooFewSpeakers()
    {
        float[] x = [0, 1, 2, 3, 4, 5];
        int[] y = [0, 1, 0, 1, 0, 1];
        Assert.Throws<ClassifierInputException>(() => HyperparameterSearch.Run(x, 1, y, 2, [1, 2, 3], ClassicalBaselines.RbfSvm));
        Assert.Throws<ClassifierInputException>(() => HyperparameterSearch.Run(x, 1, y, 2, [1, 1, 1, 2, 2, 2], ClassicalBaselines.RbfSvm));
    }
}
