using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SpeechEmotion.Dsp;

namespace SpeechEmotion.Corpora;

/// <summary>Content hash of decoded audio: identical samples at the same rate give the same hash, whatever the container.</summary>
public static class AudioHash
{
    /// <summary>Lower-case hex SHA-256 of the sample rate (int32 LE) followed by the float32 samples (LE).</summary>
    public static string Of(ReadOnlySpan<float> samples, int sampleRate)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> rate = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(rate, sampleRate);
        sha.AppendData(rate);
        if (BitConverter.IsLittleEndian) sha.AppendData(MemoryMarshal.AsBytes(samples));
        else foreach (var s in samples) { var b = BitConverter.GetBytes(s); Array.Reverse(b); sha.AppendData(b); }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

/// <summary>
/// A coarse acoustic fingerprint for spotting near-identical copies of a clip (gain change, added noise,
/// small time shift, re-encoding). Per 64 ms frame (8 ms hop) the energies of 33 log-spaced bands between
/// 300 and 3400 Hz give 32 bits: the sign of the band-energy difference between neighbouring bands, minus
/// the same difference one frame earlier. Signs of energy differences do not change with gain and are
/// dominated by the strong spectral structure of speech, so moderate noise flips few of them. Only frames
/// within 25 dB of the loudest frame are compared, since silence carries no identity.
/// </summary>
public sealed class AudioFingerprint
{
    private const int Bands = 33;
    private const double FrameSeconds = 0.064, HopSeconds = 0.008, LowHz = 300, HighHz = 3400, ActiveDb = 25;
    private const int Decimation = 4, MinOverlapFrames = 25;

    private AudioFingerprint(uint[] bits, bool[] active, float[] envelope, double duration)
    {
        Bits = bits;
        Active = active;
        Envelope = envelope;
        Duration = duration;
    }

    /// <summary>32 fingerprint bits per frame.</summary>
    public uint[] Bits { get; }

    /// <summary>Whether each frame carries signal (within 25 dB of the loudest frame).</summary>
    public bool[] Active { get; }

    /// <summary>Mean-removed log energy per 32 ms block, used to find the time offset between two clips.</summary>
    public float[] Envelope { get; }

    /// <summary>Duration of the clip in seconds.</summary>
    public double Duration { get; }

    /// <summary>Frame hop in seconds.</summary>
    public static double Hop => HopSeconds;

    /// <summary>Computes the fingerprint of mono <paramref name="samples"/> at <paramref name="sampleRate"/> Hz.</summary>
    public static AudioFingerprint Compute(ReadOnlySpan<float> samples, int sampleRate)
    {
        if (sampleRate < 8000) throw new ArgumentOutOfRangeException(nameof(sampleRate), $"fingerprints need at least 8000 Hz, got {sampleRate}");
        int n = (int)Math.Round(FrameSeconds * sampleRate), hop = (int)Math.Round(HopSeconds * sampleRate);
        int frames = samples.Length < n ? (samples.Length > 0 ? 1 : 0) : 1 + (samples.Length - n) / hop;
        var bits = new uint[frames];
        var active = new bool[frames];
        var energyTotal = new double[frames];
        if (frames == 0) return new AudioFingerprint(bits, active, [], 0);

        var fft = new RealFft(n);
        var window = Windows.Create(WindowKind.Hann, n);
        var edges = new int[Bands + 1];
        for (int b = 0; b <= Bands; b++)
        {
            var hz = LowHz * Math.Pow(HighHz / LowHz, (double)b / Bands);
            edges[b] = Math.Clamp((int)Math.Round(hz * n / sampleRate), 1, n / 2);
        }
        for (int b = 1; b <= Bands; b++) edges[b] = Math.Max(edges[b], edges[b - 1] + 1);
        var frame = new float[n];
        var re = new float[n / 2 + 1];
        var im = new float[n / 2 + 1];
        var prev = new double[Bands];
        var cur = new double[Bands];
        for (int f = 0; f < frames; f++)
        {
            frame.AsSpan().Clear();
            var start = f * hop;
            var len = Math.Min(n, samples.Length - start);
            for (int i = 0; i < len; i++) frame[i] = samples[start + i] * window[i];
            fft.Forward(frame, re, im);
            double total = 0;
            for (int b = 0; b < Bands; b++)
            {
                double e = 0;
                for (int k = edges[b]; k < edges[b + 1] && k < re.Length; k++) e += (double)re[k] * re[k] + (double)im[k] * im[k];
                cur[b] = e;
                total += e;
            }
            energyTotal[f] = total;
            uint word = 0;
            if (f > 0)
                for (int b = 0; b < Bands - 1; b++)
                    if (cur[b] - cur[b + 1] - (prev[b] - prev[b + 1]) > 0) word |= 1u << b;
            bits[f] = word;
            (prev, cur) = (cur, prev);
        }
        var max = energyTotal.Max();
        var floor = max * Math.Pow(10, -ActiveDb / 10);
        for (int f = 1; f < frames; f++) active[f] = max > 0 && energyTotal[f] >= floor && energyTotal[f - 1] >= floor;

        var blocks = (frames + Decimation - 1) / Decimation;
        var env = new float[blocks];
        for (int bl = 0; bl < blocks; bl++)
        {
            double s = 0; int c = 0;
            for (int f = bl * Decimation; f < Math.Min(frames, (bl + 1) * Decimation); f++) { s += energyTotal[f]; c++; }
            env[bl] = (float)Math.Log10(s / c + max * 1e-6 + 1e-20);
        }
        var mean = env.Average();
        for (int i = 0; i < env.Length; i++) env[i] -= mean;
        return new AudioFingerprint(bits, active, env, (double)samples.Length / sampleRate);
    }

    /// <summary>
    /// Similarity in [0, 1]: 1 − bit error rate over the frames active in both clips, at the best time offset
    /// within ±<paramref name="maxShiftSeconds"/>. Unrelated speech scores about 0.5–0.65; copies altered by
    /// gain, noise or a small shift score well above. 0 when fewer than 25 frames overlap.
    /// </summary>
    public static double Similarity(AudioFingerprint a, AudioFingerprint b, double maxShiftSeconds = 0.2)
    {
        int maxLag = (int)Math.Ceiling(maxShiftSeconds / HopSeconds);
        // Coarse: the offset that best lines up the energy envelopes (two candidates), then refine on the bits.
        int maxBlockLag = maxLag / Decimation + 1;
        Span<int> candidates = stackalloc int[2];
        Span<double> scores = stackalloc double[2];
        scores[0] = scores[1] = double.NegativeInfinity;
        for (int lag = -maxBlockLag; lag <= maxBlockLag; lag++)
        {
            double s = 0; int c = 0;
            for (int i = Math.Max(0, -lag); i < a.Envelope.Length && i + lag < b.Envelope.Length; i++) { s += a.Envelope[i] * b.Envelope[i + lag]; c++; }
            if (c < MinOverlapFrames / Decimation) continue;
            s /= c;
            if (s > scores[0]) { scores[1] = scores[0]; candidates[1] = candidates[0]; scores[0] = s; candidates[0] = lag; }
            else if (s > scores[1]) { scores[1] = s; candidates[1] = lag; }
        }
        double best = 0;
        for (int ci = 0; ci < 2; ci++)
        {
            if (double.IsNegativeInfinity(scores[ci])) continue;
            for (int lag = candidates[ci] * Decimation - Decimation; lag <= candidates[ci] * Decimation + Decimation; lag++)
            {
                if (Math.Abs(lag) > maxLag) continue;
                best = Math.Max(best, AtLag(a, b, lag));
            }
        }
        return best;
    }

    /// <summary>1 − bit error rate with <paramref name="b"/> shifted by <paramref name="lag"/> frames; 0 if too little overlap.</summary>
    internal static double AtLag(AudioFingerprint a, AudioFingerprint b, int lag)
    {
        long errors = 0; int count = 0;
        for (int i = Math.Max(0, -lag); i < a.Bits.Length && i + lag < b.Bits.Length; i++)
        {
            if (!a.Active[i] || !b.Active[i + lag]) continue;
            errors += BitOperations.PopCount(a.Bits[i] ^ b.Bits[i + lag]);
            count++;
        }
        return count < MinOverlapFrames ? 0 : 1 - errors / (32.0 * count);
    }
}
