namespace SpeechEmotion.Features.Egemaps;

/// <summary>Raw (unsmoothed) eGeMAPS descriptors of one signal.</summary>
/// <param name="Raw">Descriptors [Frames, 25] row-major in <see cref="EgemapsNames.Llds"/> order (F0 in semitones, 0 = unvoiced).</param>
/// <param name="Frames">Number of 10 ms frames of the 20 ms analysis.</param>
/// <param name="VoiceFrames">Leading frames that carry the voice-related columns 10–24.</param>
/// <param name="Energy">Mean squared sample of each 20 ms frame (for the equivalent sound level).</param>
public sealed record EgemapsLldFrames(float[] Raw, int Frames, int VoiceFrames, float[] Energy)
{
    /// <summary>F0 of each 60 ms frame in Hz after the pitch smoother (0 = unvoiced); ComParE reports it in Hz.</summary>
    public float[] F0Hz { get; init; } = [];

    /// <summary>
    /// Voicing probability of each 60 ms frame, unclipped: the SHS score of the candidate the smoother chose
    /// (the best candidate's where it chose none).
    /// </summary>
    public float[] Voicing { get; init; } = [];
}

/// <summary>
/// eGeMAPS v02 (Eyben et al. 2016) extractor: 25 low-level descriptors every 10 ms and their 88
/// functionals, numerically compatible with openSMILE 3's eGeMAPSv02 configuration. Stateless and
/// thread-safe: every call allocates its own per-thread analysers.
/// </summary>
public sealed class EgemapsExtractor
{
    /// <summary>Frame step (s).</summary>
    public const double HopSeconds = 0.010;
    private const float EnergyGate = 0.001f;

    /// <summary>Computes the raw descriptors of <paramref name="samples"/> (mono, [-1, 1]) at <paramref name="sampleRate"/> Hz.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sample rate is below 8 kHz or above 384 kHz.</exception>
    public EgemapsLldFrames ExtractRaw(ReadOnlySpan<float> samples, int sampleRate) => ExtractRaw(samples, sampleRate, formantsEverywhere: true);

    /// <summary>
    /// As <see cref="ExtractRaw(ReadOnlySpan{float}, int)"/>; with <paramref name="formantsEverywhere"/> false the
    /// formant tracks are computed on voiced frames only (all the functionals use), which is faster.
    /// </summary>
    public EgemapsLldFrames ExtractRaw(ReadOnlySpan<float> samples, int sampleRate, bool formantsEverywhere)
        => ExtractRaw(samples, sampleRate, formantsEverywhere, null);

    /// <summary>As above, adding each stage's elapsed <see cref="System.Diagnostics.Stopwatch"/> ticks to <paramref name="stages"/> when given (profiling).</summary>
    internal EgemapsLldFrames ExtractRaw(ReadOnlySpan<float> samples, int sampleRate, bool formantsEverywhere, EgemapsStageTimes? stages)
    {
        if (sampleRate < 8000 || sampleRate > 384000)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "eGeMAPS needs a sample rate between 8 kHz and 384 kHz.");
        int hop = (int)Math.Round(HopSeconds * sampleRate);
        var shortA = new ShortFrameAnalyzer(sampleRate);
        var longA = new LongFrameAnalyzer(sampleRate);
        int n20 = samples.Length >= shortA.FrameLength ? (samples.Length - shortA.FrameLength) / hop + 1 : 0;
        int n60 = samples.Length >= longA.FrameLength ? (samples.Length - longA.FrameLength) / hop + 1 : 0;
        const int D = EgemapsLld.Count;
        var raw = new float[n20 * D];
        var energy = new float[n20];
        // Pitch: SHS candidates per 60 ms frame, then the Viterbi path. The spectra are not kept (12 MB a
        // minute, whose first touch costs more than transforming the voiced frames again for the harmonics).
        const int C = ShsPitch.Candidates;
        int bins = longA.Bins, batch = longA.BatchSize;
        var mags = new float[batch * bins];
        Span<int> starts = stackalloc int[batch];
        var candF = new float[n60 * C];
        var candV = new float[n60 * C];
        var rms = new float[n60];
        stages?.Start();
        for (int t0 = 0; t0 < n60; t0 += batch)
        {
            int count = Math.Min(batch, n60 - t0);
            for (int f = 0; f < count; f++) starts[f] = (t0 + f) * hop;
            longA.AnalyzeFrames(samples, starts[..count], mags, rms.AsSpan(t0, count));
            stages?.Lap(EgemapsStageTimes.LongFft);
            for (int f = 0; f < count; f++)
                longA.Shs.Analyze(mags.AsSpan(f * bins, bins), candF.AsSpan((t0 + f) * C, C), candV.AsSpan((t0 + f) * C, C));
            stages?.Lap(EgemapsStageTimes.Shs);
        }
        var f0 = new float[n60];
        int decided = new ViterbiPitchSmoother().Smooth(candF, candV, n60, f0);
        for (int t = 0; t < n60; t++) if (rms[t] < EnergyGate) f0[t] = 0f;
        var voicing = new float[n60];
        for (int t = 0; t < n60; t++)
        {
            float best = 0f, bestDist = float.MaxValue, top = 0f;
            for (int c = 0; c < C; c++)
            {
                float f = candF[t * C + c], v = candV[t * C + c];
                top = Math.Max(top, v);
                float d = Math.Abs(f - f0[t]);
                if (f > 0 && d < bestDist) { bestDist = d; best = v; }
            }
            voicing[t] = f0[t] > 0 ? best : top;
        }
        stages?.Lap(EgemapsStageTimes.Viterbi);

        var formants = new FormantTracker(shortA.FftLength, shortA.FrameLength, sampleRate);
        var fFreq = new float[n20 * FormantTracker.Formants];
        var fBw = new float[n20 * FormantTracker.Formants];
        for (int t = 0; t < n20; t++)
        {
            var row = raw.AsSpan(t * D, D);
            energy[t] = shortA.Analyze(samples.Slice(t * hop, shortA.FrameLength), row);
            stages?.Lap(EgemapsStageTimes.ShortFrames);
            if (!formantsEverywhere && !(t < n60 - 1 && f0[t] > 0)) continue;
            formants.Analyze(shortA.Re, shortA.Im, fFreq.AsSpan(t * FormantTracker.Formants, FormantTracker.Formants), fBw.AsSpan(t * FormantTracker.Formants, FormantTracker.Formants));
            for (int k = 0; k < 3; k++)
            {
                row[EgemapsLld.F1Frequency + 3 * k] = fFreq[t * FormantTracker.Formants + k];
                row[EgemapsLld.F1Frequency + 3 * k + 1] = fBw[t * FormantTracker.Formants + k];
            }
            stages?.Lap(EgemapsStageTimes.Formants);
        }


        var js = new JitterShimmer(sampleRate, hop, longA.FrameLength);
        var harm = new HarmonicDescriptors(bins, sampleRate);
        int voiceFrames = 0;
        // The reference's voice-quality stage stops when the input ends, before the pitch smoother flushes
        // its undecided frames: the voice descriptors end with the last frame decided before that.
        int lastVoice = Math.Min(decided, n20);
        for (int t = 0; t < lastVoice; t++)
        {
            if (!js.Process(samples, t, f0[t], out float jitter, out float shimmer)) break;
            var row = raw.AsSpan(t * D, D);
            float hz = f0[t];
            row[EgemapsLld.F0] = hz > 29.136f ? (float)(12.0 * Math.Log2(hz / 27.5)) : (hz > 0 ? 1f : 0f);
            row[EgemapsLld.Jitter] = jitter;
            row[EgemapsLld.Shimmer] = shimmer;
            voiceFrames = t + 1;
        }
        stages?.Lap(EgemapsStageTimes.JitterShimmer);
        // Harmonic descriptors: unvoiced frames get constants; voiced ones are transformed again in batches.
        Span<int> frames = stackalloc int[batch];
        Span<float> unusedRms = stackalloc float[batch];
        int pending = 0;
        for (int t = 0; t <= voiceFrames; t++)
        {
            if (t < voiceFrames && !(f0[t] > 0))
            {
                SetHarmonics(raw.AsSpan(t * D, D), harm.Analyze([], 0f, []));
                continue;
            }
            if (t < voiceFrames) { frames[pending] = t; starts[pending] = t * hop; pending++; }
            if (pending == batch || (t == voiceFrames && pending > 0))
            {
                longA.AnalyzeFrames(samples, starts[..pending], mags, unusedRms[..pending]);
                for (int f = 0; f < pending; f++)
                {
                    int v = frames[f];
                    SetHarmonics(raw.AsSpan(v * D, D), harm.Analyze(mags.AsSpan(f * bins, bins), f0[v], fFreq.AsSpan(v * FormantTracker.Formants, 3)));
                }
                pending = 0;
            }
        }
        stages?.Lap(EgemapsStageTimes.Harmonics);
        // Voice columns past the last analysed frame are empty.
        for (int t = voiceFrames; t < n20; t++)
            for (int c = EgemapsLld.F0; c < D; c++)
                if (!(c >= EgemapsLld.F1Frequency && (c - EgemapsLld.F1Frequency) % 3 != 2)) raw[t * D + c] = 0f;
        return new EgemapsLldFrames(raw, n20, voiceFrames, energy) { F0Hz = f0, Voicing = voicing };
    }

    private static void SetHarmonics(Span<float> row, HarmonicValues h)
    {
        row[EgemapsLld.Hnr] = h.HnrDb;
        row[EgemapsLld.H1H2] = h.H1H2;
        row[EgemapsLld.H1A3] = h.H1A3;
        row[EgemapsLld.F1Frequency + 2] = h.A1;
        row[EgemapsLld.F1Frequency + 5] = h.A2;
        row[EgemapsLld.F1Frequency + 8] = h.A3;
    }

    /// <summary>Computes the 88 functionals (in <see cref="EgemapsNames.Functionals"/> order).</summary>
    public float[] ExtractFunctionals(ReadOnlySpan<float> samples, int sampleRate) => ExtractFunctionals(samples, sampleRate, null);

    /// <summary>As <see cref="ExtractFunctionals(ReadOnlySpan{float}, int)"/>, timing the stages into <paramref name="stages"/> when given.</summary>
    internal float[] ExtractFunctionals(ReadOnlySpan<float> samples, int sampleRate, EgemapsStageTimes? stages)
    {
        var lld = ExtractRaw(samples, sampleRate, formantsEverywhere: false, stages);
        var result = new float[88];
        stages?.Start();
        EgemapsFunctionals.Compute(lld.Raw, lld.Frames, lld.VoiceFrames, lld.Energy, result);
        stages?.Lap(EgemapsStageTimes.Functionals);
        Sanitize(result);
        return result;
    }

    /// <summary>
    /// Computes the smoothed descriptors [frames, 25] as openSMILE's LLD output: one row per 10 ms up to
    /// the last 60 ms frame (plus one), voice columns 0 where unvoiced.
    /// </summary>
    public float[] ExtractLld(ReadOnlySpan<float> samples, int sampleRate, out int frames)
    {
        var lld = ExtractRaw(samples, sampleRate);
        var smoothed = new float[lld.Frames * EgemapsLld.Count];
        EgemapsFunctionals.SmoothLlds(lld.Raw, lld.Frames, lld.VoiceFrames, smoothed);
        // As many rows as openSMILE's LLD output: one per 60 ms frame plus one.
        int hop = (int)Math.Round(HopSeconds * sampleRate), longFrame = (int)Math.Round(0.060 * sampleRate);
        int n60 = samples.Length >= longFrame ? (samples.Length - longFrame) / hop + 1 : 0;
        frames = Math.Min(lld.Frames, n60 + 1);
        var result = smoothed.AsSpan(0, frames * EgemapsLld.Count).ToArray();
        Sanitize(result);
        return result;
    }

    private static void Sanitize(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++) if (!float.IsFinite(values[i])) values[i] = 0f;
    }
}
