namespace SpeechEmotion.Tests.Corpora;

/// <summary>Modified copies of clips for the fingerprint and leakage tests.</summary>
internal static class TestWav
{
    /// <summary>Applies gain, white noise at <paramref name="snrDb"/> (relative to the clip RMS) and a shift in samples (positive delays).</summary>
    public static float[] Modify(float[] x, float gain, double snrDb, int shift, int seed)
    {
        var rms = Math.Sqrt(x.Select(v => (double)v * v).Average());
        var noise = rms * Math.Pow(10, -snrDb / 20);
        var rng = new Random(seed);
        var y = new float[x.Length];
        for (int i = 0; i < y.Length; i++)
        {
            var src = i - shift;
            var v = src >= 0 && src < x.Length ? x[src] : 0f;
            // Box-Muller gaussian noise
            var g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            y[i] = (float)(v * gain + (double.IsFinite(snrDb) ? g * noise * gain : 0));
        }
        return y;
    }
}
