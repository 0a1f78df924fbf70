using System.Text;

namespace SpeechEmotion.Augmentation;

/// <summary>
/// The random source of augmentation: xoshiro256** seeded through SplitMix64. Implemented here rather
/// than taken from <see cref="System.Random"/> so that a seed gives the same stream on every .NET
/// version and platform (offline copies and experiment logs must be reproducible years later).
/// Not thread-safe; every utterance gets its own instance (see <see cref="AugmentationSeed"/>).
/// </summary>
public sealed class AugmentationRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareGaussian;

    /// <summary>Creates a generator whose whole stream is fixed by <paramref name="seed"/>.</summary>
    public AugmentationRandom(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix(ref sm); _s1 = SplitMix(ref sm); _s2 = SplitMix(ref sm); _s3 = SplitMix(ref sm);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotL(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotL(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform double in [<paramref name="min"/>, <paramref name="max"/>); returns min when they are equal.</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="exclusiveMax"/>) (exclusiveMax >= 1), without modulo bias.</summary>
    public int NextInt(int exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, "Must be at least 1.");
        // Lemire's multiply-shift with rejection of the few biased low words.
        ulong range = (ulong)exclusiveMax;
        var m = (NextUInt64() >> 32) * range;
        if ((uint)m < range)
        {
            var threshold = (uint)((0x1_0000_0000UL - range) % range);
            while ((uint)m < threshold) m = (NextUInt64() >> 32) * range;
        }
        return (int)(m >> 32);
    }

    /// <summary>True with probability <paramref name="p"/> (0..1).</summary>
    public bool Chance(double p) => p >= 1 || (p > 0 && NextDouble() < p);

    /// <summary>Standard normal deviate (Marsaglia polar method).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is double spare) { _spareGaussian = null; return spare; }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        var f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * f;
        return u * f;
    }

    /// <summary>Gamma(<paramref name="shape"/>, 1) deviate (Marsaglia–Tsang; shape > 0).</summary>
    public double NextGamma(double shape)
    {
        if (!(shape > 0)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "Gamma shape must be positive.");
        if (shape < 1)
        {
            // Boost: Gamma(a) = Gamma(a+1) · U^(1/a).
            var u = NextDouble();
            return NextGamma(shape + 1) * Math.Pow(u == 0 ? double.Epsilon : u, 1 / shape);
        }
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = NextGaussian(); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            var uu = NextDouble();
            if (uu < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.Log(uu) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>Beta(<paramref name="a"/>, <paramref name="b"/>) deviate in [0, 1] (a, b > 0).</summary>
    public double NextBeta(double a, double b)
    {
        var x = NextGamma(a);
        var y = NextGamma(b);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /// <summary>Fills <paramref name="destination"/> with standard normal deviates.</summary>
    public void FillGaussian(Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++) destination[i] = (float)NextGaussian();
    }

    internal static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));
}

/// <summary>
/// Derives the seed of one draw from (base seed, epoch, utterance id) only, so augmentation is
/// reproducible and independent of the order or thread in which utterances are processed.
/// </summary>
public static class AugmentationSeed
{
    /// <summary>
    /// Seed for <paramref name="utteranceId"/> in <paramref name="epoch"/> (0-based; offline copy k uses
    /// epoch k) under <paramref name="baseSeed"/>: FNV-1a 64 of the id's UTF-8 bytes, mixed with the
    /// other two through SplitMix64 finalisers so that neighbouring epochs/ids give unrelated streams.
    /// </summary>
    public static ulong For(ulong baseSeed, int epoch, string utteranceId)
    {
        ArgumentNullException.ThrowIfNull(utteranceId);
        return Combine(Combine(baseSeed, (ulong)(uint)epoch + 0x5EED_0000_0000UL), Fnv1a(utteranceId));
    }

    /// <summary>Seed for batch <paramref name="batchIndex"/> of <paramref name="epoch"/> (mixup pairs whole batches).</summary>
    public static ulong ForBatch(ulong baseSeed, int epoch, int batchIndex) =>
        Combine(Combine(baseSeed, (ulong)(uint)epoch + 0xBA7C_0000_0000UL), (ulong)(uint)batchIndex);

    /// <summary>Sub-seed for step <paramref name="index"/> of a pipeline under <paramref name="seed"/>, so that adding or removing one transform leaves the draws of the others unchanged.</summary>
    public static ulong Derive(ulong seed, int index) => Combine(seed, 0xD1B5_4A32_D192_ED03UL * (ulong)(index + 1));

    /// <summary>Stable 64-bit FNV-1a hash of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Fnv1a(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            h ^= b;
            h *= 0x100000001B3UL;
        }
        return h;
    }

    private static ulong Combine(ulong a, ulong b)
    {
        var s = a ^ (b * 0x9E3779B97F4A7C15UL);
        return AugmentationRandom.SplitMix(ref s);
    }
}
