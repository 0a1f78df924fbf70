namespace SpeechEmotion.Features.Egemaps;

/// <summary>The feature names of eGeMAPS v02, spelled and ordered as openSMILE reports them.</summary>
public static class EgemapsNames
{
    /// <summary>The 25 smoothed low-level descriptors, one row per 10 ms frame.</summary>
    public static IReadOnlyList<string> Llds { get; } =
    [
        "Loudness_sma3", "alphaRatio_sma3", "hammarbergIndex_sma3", "slope0-500_sma3", "slope500-1500_sma3",
        "spectralFlux_sma3", "mfcc1_sma3", "mfcc2_sma3", "mfcc3_sma3", "mfcc4_sma3",
        "F0semitoneFrom27.5Hz_sma3nz", "jitterLocal_sma3nz", "shimmerLocaldB_sma3nz", "HNRdBACF_sma3nz",
        "logRelF0-H1-H2_sma3nz", "logRelF0-H1-A3_sma3nz", "F1frequency_sma3nz", "F1bandwidth_sma3nz",
        "F1amplitudeLogRelF0_sma3nz", "F2frequency_sma3nz", "F2bandwidth_sma3nz", "F2amplitudeLogRelF0_sma3nz",
        "F3frequency_sma3nz", "F3bandwidth_sma3nz", "F3amplitudeLogRelF0_sma3nz",
    ];

    /// <summary>The 88 functionals.</summary>
    public static IReadOnlyList<string> Functionals { get; } = BuildFunctionals();

    private static string[] BuildFunctionals()
    {
        var n = new List<string>(88);
        foreach (var c in new[] { "F0semitoneFrom27.5Hz_sma3nz", "loudness_sma3" })
        {
            n.AddRange([c + "_amean", c + "_stddevNorm", c + "_percentile20.0", c + "_percentile50.0", c + "_percentile80.0",
                c + "_pctlrange0-2", c + "_meanRisingSlope", c + "_stddevRisingSlope", c + "_meanFallingSlope", c + "_stddevFallingSlope"]);
        }
        foreach (var c in new[]
        {
            "spectralFlux_sma3", "mfcc1_sma3", "mfcc2_sma3", "mfcc3_sma3", "mfcc4_sma3",
            "jitterLocal_sma3nz", "shimmerLocaldB_sma3nz", "HNRdBACF_sma3nz", "logRelF0-H1-H2_sma3nz", "logRelF0-H1-A3_sma3nz",
            "F1frequency_sma3nz", "F1bandwidth_sma3nz", "F1amplitudeLogRelF0_sma3nz",
            "F2frequency_sma3nz", "F2bandwidth_sma3nz", "F2amplitudeLogRelF0_sma3nz",
            "F3frequency_sma3nz", "F3bandwidth_sma3nz", "F3amplitudeLogRelF0_sma3nz",
            "alphaRatioV_sma3nz", "hammarbergIndexV_sma3nz", "slopeV0-500_sma3nz", "slopeV500-1500_sma3nz",
            "spectralFluxV_sma3nz", "mfcc1V_sma3nz", "mfcc2V_sma3nz", "mfcc3V_sma3nz", "mfcc4V_sma3nz",
        })
        {
            n.Add(c + "_amean");
            n.Add(c + "_stddevNorm");
        }
        foreach (var c in new[] { "alphaRatioUV_sma3nz", "hammarbergIndexUV_sma3nz", "slopeUV0-500_sma3nz", "slopeUV500-1500_sma3nz", "spectralFluxUV_sma3nz" })
            n.Add(c + "_amean");
        n.AddRange(["loudnessPeaksPerSec", "VoicedSegmentsPerSec", "MeanVoicedSegmentLengthSec", "StddevVoicedSegmentLengthSec",
            "MeanUnvoicedSegmentLength", "StddevUnvoicedSegmentLength", "equivalentSoundLevel_dBp"]);
        return n.ToArray();
    }
}
