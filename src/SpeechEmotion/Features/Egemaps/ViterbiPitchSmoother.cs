namespace SpeechEmotion.Features.Egemaps;

/// <summary>
/// Chooses one pitch candidate (or "unvoiced") per frame by a Viterbi search with the costs of
/// Luengo et al. (ICASSP 2007) as eGeMAPS weights them: local cost from the candidate's voicing and a
/// 100–350 Hz preference, transition cost from the log-frequency jump and its change, and a fixed cost
/// for voicing switches. Decisions are taken on a sliding 40-frame trellis (forced when paths do not
/// merge), like the reference's streaming smoother.
/// </summary>
public sealed class ViterbiPitchSmoother
{
    private const double WLocal = 2.0, WTvv = 10.0, WTvvd = 10.0, WTvuv = 10.0, WThr = 4.0, WRange = 1.0, WUu = 1.0;
    private const float VoiceThreshold = 0.7f;
    private const int States = ShsPitch.Candidates + 1;
    private readonly int _bufferLength;

    /// <summary>Creates a smoother with a trellis of <paramref name="bufferLength"/> frames.</summary>
    public ViterbiPitchSmoother(int bufferLength = 40) => _bufferLength = bufferLength;

    /// <summary>
    /// Smooths a whole contour.
    /// </summary>
    /// <param name="f0">Candidates [frames, 6] (Hz, 0 = none).</param>
    /// <param name="voicing">Candidate voicing [frames, 6].</param>
    /// <param name="frames">Number of frames.</param>
    /// <param name="output">F0 per frame (Hz, 0 = unvoiced).</param>
    /// <returns>
    /// How many leading frames were decided before the end of the input forced the remaining ones (the
    /// streaming reference hands those last frames on only after its input has ended).
    /// </returns>
    public int Smooth(ReadOnlySpan<float> f0, ReadOnlySpan<float> voicing, int frames, Span<float> output)
    {
        int L = _bufferLength;
        const int C = ShsPitch.Candidates;
        var paths = new int[2][] { new int[States * L], new int[States * L] };
        var cost = new double[States];
        var costNew = new double[States];
        var best = new int[frames];
        int pathBuf = 0;
        long pathIdx = 0, convIdx = -1;
        double lastChange = 1.0;

        for (int t = 0; t < frames; t++)
        {
            var cf = f0.Slice(t * C, C);
            var cv = voicing.Slice(t * C, C);
            if (t == 0)
            {
                pathIdx = 0; convIdx = -1;
                for (int i = 0; i < States; i++) { cost[i] = LocalCost(i, cf, cv); paths[pathBuf][i * L] = i; }
            }
            else
            {
                var pf = f0.Slice((t - 1) * C, C);
                int nb = 1 - pathBuf;
                for (int i = 0; i < States; i++)
                {
                    int minState = 0;
                    double minCost = Transition(i, 0, pf, cf, ref lastChange) + cost[0];
                    for (int j = 1; j < States; j++)
                    {
                        double c = Transition(i, j, pf, cf, ref lastChange) + cost[j];
                        if (c < minCost) { minCost = c; minState = j; }
                    }
                    costNew[i] = minCost + LocalCost(i, cf, cv);
                    Array.Copy(paths[pathBuf], minState * L, paths[nb], i * L, L);
                    paths[nb][i * L + (int)(pathIdx % L)] = i;
                }
                (cost, costNew) = (costNew, cost);
                pathBuf = nb;
            }
            pathIdx++;
            if (pathIdx - convIdx > L)
            {
                int minState = 0;
                for (int i = 1; i < States; i++) if (cost[i] < cost[minState]) minState = i;
                convIdx++;
                best[convIdx] = paths[pathBuf][minState * L + (int)(convIdx % L)];
            }
            else
            {
                for (long n = convIdx + 1; n < pathIdx; n++)
                {
                    int x = paths[pathBuf][(int)(n % L)];
                    bool match = true;
                    for (int i = 1; i < States; i++) if (paths[pathBuf][i * L + (int)(n % L)] != x) { match = false; break; }
                    if (!match) break;
                    convIdx++;
                    best[convIdx] = x;
                }
            }
        }
        int decided = (int)(convIdx + 1);
        if (frames > 0)
        {
            int minState = 0;
            for (int i = 1; i < States; i++) if (cost[i] < cost[minState]) minState = i;
            for (long n = convIdx + 1; n < pathIdx; n++) best[n] = paths[pathBuf][minState * L + (int)(n % L)];
        }
        for (int t = 0; t < frames; t++) output[t] = best[t] < C ? f0[t * C + best[t]] : 0f;
        return decided;
    }

    private static double RangeWeight(float f)
    {
        if (f > 0 && f < 100) return -f / 100.0 + 1.0;
        if (f >= 100 && f < 350) return 0.0;
        if (f >= 350 && f < 600) return (f - 350.0) / 250.0;
        if (f >= 600) return 1.2;
        if (f <= 0) return 2.0;
        return 0.0;
    }

    private static double LocalCost(int state, ReadOnlySpan<float> f, ReadOnlySpan<float> v)
    {
        if (state < States - 1)
        {
            double pv = Math.Clamp((double)v[state], 0.01, 1.0);
            double thr = pv < VoiceThreshold ? WThr : 0.0;
            return (-Math.Log(pv) + thr) * WLocal + RangeWeight(f[state]) * WRange;
        }
        for (int j = 0; j < States - 1; j++) if (v[j] >= VoiceThreshold) return WLocal * WThr;
        return 0.0;
    }

    // Costs of moving from state j (previous frame) to state i (current frame). The delta-continuity term
    // keeps the last computed jump across calls, exactly as the reference's smoother does.
    private static double Transition(int i, int j, ReadOnlySpan<float> prev, ReadOnlySpan<float> cur, ref double lastChange)
    {
        int u = States - 1;
        if (i < u && j < u)
        {
            float f0 = prev[j], f1 = cur[i];
            if (f0 == 0 || f1 == 0) return 999.0;
            double r = Math.Log((double)(f1 / f0));
            double x = WTvv * Math.Abs(r) + WTvvd * Math.Abs(r - lastChange);
            lastChange = r;
            return x;
        }
        if ((i == u && j < u) || (i < u && j == u))
        {
            lastChange = 0.0;
            return WTvuv;
        }
        return WUu;
    }
}
