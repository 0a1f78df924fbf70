namespace SpeechEmotion.Features.Compare;

/// <summary>Which functional family a ComParE 2016 descriptor receives.</summary>
public enum CompareLldKind
{
    /// <summary>Energy, auditory-spectrum, spectral and MFCC descriptors (100 functionals each).</summary>
    Spectral,
    /// <summary>Deltas of <see cref="Spectral"/> descriptors (46 functionals each).</summary>
    SpectralDelta,
    /// <summary>Voicing descriptors and their deltas (39 functionals, over voiced frames only).</summary>
    Voicing,
    /// <summary>The smoothed final F0 (the voicing functionals plus voiced-segment statistics: 44).</summary>
    F0,
}

/// <summary>
/// openSMILE's names for the ComParE 2016 set: the 65 low-level descriptors, their deltas (130 LLD
/// columns per 10 ms frame) and the 6373 functionals in openSMILE's column order.
/// </summary>
public static class CompareNames
{
    private static readonly string[] SpectralLlds = BuildSpectralLlds();

    /// <summary>The six voicing descriptors (smoothed).</summary>
    public static readonly IReadOnlyList<string> VoicingLlds =
        ["F0final_sma", "voicingFinalUnclipped_sma", "jitterLocal_sma", "jitterDDP_sma", "shimmerLocal_sma", "logHNR_sma"];

    /// <summary>The 130 frame-level columns: 65 descriptors then their deltas, as openSMILE writes them.</summary>
    public static readonly IReadOnlyList<string> Llds = BuildLlds();

    /// <summary>Functionals of each <see cref="CompareLldKind.Spectral"/> descriptor, in output order.</summary>
    public static readonly IReadOnlyList<string> SpectralFunctionals =
    [
        "range", "maxPos", "minPos", "quartile1", "quartile2", "quartile3", "iqr1-2", "iqr2-3", "iqr1-3",
        "percentile1.0", "percentile99.0", "pctlrange0-1", "stddev", "skewness", "kurtosis",
        "meanSegLen", "maxSegLen", "minSegLen", "segLenStddev",
        "upleveltime25", "upleveltime50", "upleveltime75", "upleveltime90", "risetime", "leftctime",
        "lpgain", "lpc0", "lpc1", "lpc2", "lpc3", "lpc4", "amean", "flatness", "rqmean",
        "meanPeakDist", "peakDistStddev", "peakRangeAbs", "peakRangeRel", "peakMeanAbs", "peakMeanMeanDist",
        "peakMeanRel", "minRangeRel", "meanRisingSlope", "stddevRisingSlope", "meanFallingSlope", "stddevFallingSlope",
        "linregc1", "linregc2", "linregerrQ", "qregc1", "qregc2", "qregc3", "qregerrQ", "centroid",
    ];

    /// <summary>Functionals of each <see cref="CompareLldKind.SpectralDelta"/> descriptor, in output order.</summary>
    public static readonly IReadOnlyList<string> DeltaFunctionals =
    [
        "range", "maxPos", "minPos", "quartile1", "quartile2", "quartile3", "iqr1-2", "iqr2-3", "iqr1-3",
        "percentile1.0", "percentile99.0", "pctlrange0-1", "stddev", "skewness", "kurtosis",
        "meanSegLen", "maxSegLen", "minSegLen", "segLenStddev",
        "upleveltime25", "upleveltime50", "upleveltime75", "upleveltime90", "risetime", "leftctime",
        "lpgain", "lpc0", "lpc1", "lpc2", "lpc3", "lpc4", "flatness", "posamean", "rqmean",
        "meanPeakDist", "peakDistStddev", "peakRangeAbs", "peakRangeRel", "peakMeanAbs", "peakMeanMeanDist",
        "peakMeanRel", "minRangeRel", "meanRisingSlope", "stddevRisingSlope", "meanFallingSlope", "stddevFallingSlope",
    ];

    /// <summary>Functionals of each <see cref="CompareLldKind.Voicing"/> descriptor, in output order.</summary>
    public static readonly IReadOnlyList<string> VoicingFunctionals =
    [
        "amean", "flatness", "posamean", "rqmean", "range", "maxPos", "minPos",
        "linregc1", "linregc2", "linregerrQ", "qregc1", "qregc2", "qregc3", "qregerrQ", "centroid",
        "quartile1", "quartile2", "quartile3", "iqr1-2", "iqr2-3", "iqr1-3", "percentile1.0", "percentile99.0", "pctlrange0-1",
        "stddev", "skewness", "kurtosis", "upleveltime25", "upleveltime50", "upleveltime75", "upleveltime90",
        "risetime", "leftctime", "lpgain", "lpc0", "lpc1", "lpc2", "lpc3", "lpc4",
    ];

    /// <summary>Extra functionals of F0final_sma (voiced share and voiced-segment lengths).</summary>
    public static readonly IReadOnlyList<string> F0Extra = ["ff0_nnz", "ff0_meanSegLen", "ff0_maxSegLen", "ff0_minSegLen", "ff0_segLenStddev"];

    /// <summary>The 6373 functional names in openSMILE's order.</summary>
    public static readonly IReadOnlyList<string> Functionals = BuildFunctionals();

    /// <summary>The kind of LLD column <paramref name="column"/> (index into <see cref="Llds"/>).</summary>
    public static CompareLldKind KindOf(int column)
    {
        string name = Llds[column];
        if (name == "F0final_sma") return CompareLldKind.F0;
        bool voicing = column < 6 || (column >= 65 && column < 71);
        if (voicing) return CompareLldKind.Voicing;
        return column < 65 ? CompareLldKind.Spectral : CompareLldKind.SpectralDelta;
    }

    /// <summary>The functional names a column of kind <paramref name="kind"/> gets, in order.</summary>
    public static IReadOnlyList<string> FunctionalsOf(CompareLldKind kind) => kind switch
    {
        CompareLldKind.Spectral => SpectralFunctionals,
        CompareLldKind.SpectralDelta => DeltaFunctionals,
        CompareLldKind.Voicing => VoicingFunctionals,
        _ => [.. VoicingFunctionals, .. F0Extra],
    };

    private static string[] BuildSpectralLlds()
    {
        var l = new List<string> { "audspec_lengthL1norm_sma", "audspecRasta_lengthL1norm_sma", "pcm_RMSenergy_sma", "pcm_zcr_sma" };
        for (int i = 0; i < 26; i++) l.Add($"audSpec_Rfilt_sma[{i}]");
        l.AddRange(["pcm_fftMag_fband250-650_sma", "pcm_fftMag_fband1000-4000_sma",
            "pcm_fftMag_spectralRollOff25.0_sma", "pcm_fftMag_spectralRollOff50.0_sma", "pcm_fftMag_spectralRollOff75.0_sma",
            "pcm_fftMag_spectralRollOff90.0_sma", "pcm_fftMag_spectralFlux_sma", "pcm_fftMag_spectralCentroid_sma",
            "pcm_fftMag_spectralEntropy_sma", "pcm_fftMag_spectralVariance_sma", "pcm_fftMag_spectralSkewness_sma",
            "pcm_fftMag_spectralKurtosis_sma", "pcm_fftMag_spectralSlope_sma", "pcm_fftMag_psySharpness_sma",
            "pcm_fftMag_spectralHarmonicity_sma"]);
        for (int i = 1; i <= 14; i++) l.Add($"mfcc_sma[{i}]");
        return [.. l];
    }

    private static string Delta(string name)
    {
        int b = name.IndexOf('[');
        return b < 0 ? name + "_de" : name[..b] + "_de" + name[b..];
    }

    private static string[] BuildLlds()
    {
        var l = new List<string>(VoicingLlds);
        l.AddRange(SpectralLlds);
        l.AddRange(l.ToArray().Select(Delta));
        return [.. l];
    }

    private static string[] BuildFunctionals()
    {
        // openSMILE writes three blocks: extremes..LPC of every spectral descriptor (energy four, their deltas,
        // then the other 55 and their deltas), the voicing group, and means/peaks/regression of the spectral ones.
        var energy = SpectralLlds[..4];
        var rest = SpectralLlds[4..];
        var first = SpectralFunctionals.Take(31).ToArray();
        var l = new List<string>(6373);
        void Add(IEnumerable<string> llds, IEnumerable<string> fs, bool delta)
        {
            foreach (var d in llds) foreach (var f in fs) l.Add((delta ? Delta(d) : d) + "_" + f);
        }
        Add(energy, first, false);
        Add(energy, first, true);
        Add(rest, first, false);
        Add(rest, first, true);
        Add(VoicingLlds, VoicingFunctionals, false);
        Add(VoicingLlds, VoicingFunctionals, true);
        Add(["F0final_sma"], F0Extra, false);
        Add(SpectralLlds, SpectralFunctionals.Skip(31), false);
        Add(SpectralLlds, DeltaFunctionals.Skip(31), true);
        return [.. l];
    }
}
