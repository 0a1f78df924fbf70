using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Tests.Classical;

public class StandardScalerTests
{
    [Fact]
    public void StandardisesWithPopulationStatisticsAndKeepsConstantFeatures()
    {
        // Feature 0: 1, 2, 3 (mean 2, std √(2/3)); feature 1 constant 5.
        float[] x = [1, 5, 2, 5, 3, 5];
        var s = new StandardScaler().Fit(x, 2);
        Assert.Equal(2f, s.Mean[0]);
        Assert.Equal((float)Math.Sqrt(2.0 / 3), s.Scale[0], 6);
        Assert.Equal(1f, s.Scale[1]);
        var z = s.Transform(x);
        Assert.Equal(-1.2247449f, z[0], 5);
        Assert.Equal(0f, z[1]);
        Assert.Equal(0f, z[3]);
        // A test row is scaled with training statistics only.
        var t = s.Transform([4f, 7f]);
        Assert.Equal(2 / Math.Sqrt(2.0 / 3), t[0], 5);
        Assert.Equal(2f, t[1]);
    }

    [Fact]
    public void BadInputIsTyped()
    {
        Assert.Throws<ClassifierInputException>(() => new StandardScaler().Fit([1f, float.NaN], 1));
        Assert.Throws<ClassifierInputException>(() => new StandardScaler().Fit([1f, 2f, 3f], 2));
        Assert.Throws<ClassifierInputException>(() => new StandardScaler().Fit([], 2));
        Assert.Throws<ClassifierInputException>(() => new StandardScaler().Transform([1f]));
        var s = new StandardScaler().Fit([1f, 2f, 3f, 4f], 2);
        Assert.Throws<ClassifierInputException>(() => s.Transform([1f, 2f, 3f]));
    }
}
