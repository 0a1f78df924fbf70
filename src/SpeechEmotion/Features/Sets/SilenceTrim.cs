namespace SpeechEmotion.Features;

/// <summary>
/// Leading/trailing silence interval with librosa.effects.trim semantics (frame RMS in dB relative to
/// the loudest frame, kept where above −top_db). Adapter for the feature sets.
/// </summary>
internal static class SilenceTrim
{
    /// <summary>[start, end) sample interval of the non-silent part (0, 0 when everything is silent).</summary>
    public static (int Start, int End) Interval(ReadOnlySpan<float> y, double topDb, int frameLength, int hopLength)
    {
        var rms = TimeDomain.Rms(y, frameLength, hopLength, center: true);
        var max = 0f;
        foreach (var v in rms) max = Math.Max(max, Math.Abs(v));
        var refDb = 10.0 * Math.Log10(Math.Max(1e-10, (double)max * max));
        int first = -1, last = -1;
        for (var t = 0; t < rms.Length; t++)
        {
            var p = (float)((double)rms[t] * rms[t]);
            var db = (float)(10.0 * Math.Log10(Math.Max(1e-10f, p)) - refDb);
            if (db > -topDb) { if (first < 0) first = t; last = t; }
        }
        if (first < 0) return (0, 0);
        return (first * hopLength, Math.Min(y.Length, (last + 1) * hopLength));
    }
}
