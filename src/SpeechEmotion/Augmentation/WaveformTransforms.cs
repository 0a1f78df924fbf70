using System.Globalization;

namespace SpeechEmotion.Augmentation;

/// <summary>What a waveform transform may use besides the signal: the utterance, its training part, and noise folders.</summary>
internal sealed record TransformContext(AudioItem Item, TrainingPart? Training, BabbleSource? Babble, Func<string, NoiseFolder> NoiseFolders);

/// <summary>
/// A waveform transform as declared in a recipe: the probability it fires and the ranges its parameters
/// are drawn from. Immutable; <see cref="AugmentationPipelineOptions.Validate"/> checks every field.
/// Every transform keeps the signal finite and within [-1, 1].
/// </summary>
public abstract record WaveformTransformOptions
{
    /// <summary>Probability in [0, 1] that the transform is applied to a given utterance in a given epoch. Default 0.5.</summary>
    public double Probability { get; init; } = 0.5;

    /// <summary>The name used in YAML (<c>type:</c>) and in descriptions ("noise", "gain", ...).</summary>
    public abstract string Type { get; }

    internal virtual void Validate(Problems p, string where) =>
        p.Require(Probability is >= 0 and <= 1, $"{where}: p must lie within [0, 1] (got {Probability})");

    internal abstract float[] Apply(float[] y, int sampleRate, AugmentationRandom rng, TransformContext ctx, out string description);

    private protected static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>Additive noise at an SNR drawn from <see cref="SnrDb"/>; the kind is drawn uniformly from <see cref="Kinds"/>.</summary>
public sealed record NoiseOptions : WaveformTransformOptions
{
    /// <inheritdoc />
    public override string Type => "noise";

    /// <summary>Noise kinds to draw from, uniformly. Default [Pink].</summary>
    public IReadOnlyList<NoiseKind> Kinds { get; init; } = [NoiseKind.Pink];

    /// <summary>Signal-to-noise ratio in dB, within [-20, 60]. Default [5, 20].</summary>
    public ParameterRange SnrDb { get; init; } = new(5, 20);

    /// <summary>Number of voices in babble (rounded), within [1, 32]. Default [3, 7].</summary>
    public ParameterRange BabbleTalkers { get; init; } = new(3, 7);

    /// <summary>Folder of noise recordings, required when <see cref="Kinds"/> contains <see cref="NoiseKind.File"/>.</summary>
    public string? Folder { get; init; }

    internal override void Validate(Problems p, string where)
    {
        base.Validate(p, where);
        p.Require(Kinds.Count > 0, $"{where}: kinds must name at least one noise kind");
        foreach (var k in Kinds) p.Require(Enum.IsDefined(k), $"{where}: {(int)k} is not a NoiseKind");
        SnrDb.Check(p, $"{where}: snr_db", -20, 60);
        BabbleTalkers.Check(p, $"{where}: babble_talkers", 1, 32);
        p.Require(!Kinds.Contains(NoiseKind.File) || !string.IsNullOrWhiteSpace(Folder), $"{where}: kind 'file' needs a folder");
        p.Require(Folder is null || Directory.Exists(Folder), $"{where}: noise folder '{Folder}' does not exist");
    }

    internal override float[] Apply(float[] y, int sampleRate, AugmentationRandom rng, TransformContext ctx, out string description)
    {
        var kind = Kinds[rng.NextInt(Kinds.Count)];
        var snr = SnrDb.Sample(rng);
        float[] noise;
        var extra = "";
        switch (kind)
        {
            case NoiseKind.Babble:
                var source = ctx.Babble ?? throw new AugmentationException("Babble noise needs a babble source (the training part).");
                var talkers = (int)Math.Round(BabbleTalkers.Sample(rng));
                noise = source.Make(y.Length, sampleRate, talkers, ctx.Item, rng, out var used);
                extra = $", talkers={used.Count}";
                break;
            case NoiseKind.File:
                noise = ctx.NoiseFolders(Folder!).Excerpt(y.Length, sampleRate, rng, out var file);
                extra = $", file={Path.GetFileName(file)}";
                break;
            default:
                noise = NoiseMixer.Colored(kind, y.Length, rng);
                break;
        }
        description = $"noise(kind={kind.ToString().ToLowerInvariant()}, snr_db={F(snr)}{extra})";
        return y.Length == 0 ? y : NoiseMixer.MixAtSnr(y, noise, snr, out _);
    }
}

/// <summary>Gain in dB drawn from <see cref="GainDb"/> (see <see cref="WaveformEffects.Gain"/>).</summary>
public sealed record GainOptions : WaveformTransformOptions
{
    /// <inheritdoc />
    public override string Type => "gain";

    /// <summary>Gain in dB, within [-40, 40]. Default [-6, 6].</summary>
    public ParameterRange GainDb { get; init; } = new(-6, 6);

    /// <summary>When true, overload is hard-clipped at ±1 instead of the gain being capped. Default false.</summary>
    public bool AllowClipping { get; init; }

    internal override void Validate(Problems p, string where)
    {
        base.Validate(p, where);
        GainDb.Check(p, $"{where}: gain_db", -40, 40);
    }

    internal override float[] Apply(float[] y, int sampleRate, AugmentationRandom rng, TransformContext ctx, out string description)
    {
        var g = GainDb.Sample(rng);
        description = $"gain(db={F(g)})";
        return WaveformEffects.Gain(y, g, AllowClipping);
    }
}

/// <summary>Time shift in seconds drawn from <see cref="ShiftSeconds"/> (positive: later; see <see cref="WaveformEffects.Shift"/>).</summary>
public sealed record TimeShiftOptions : WaveformTransformOptions
{
    /// <inheritdoc />
    public override string Type => "time_shift";

    /// <summary>Shift in seconds, within [-5, 5]. Default [-0.1, 0.1].</summary>
    public ParameterRange ShiftSeconds { get; init; } = new(-0.1, 0.1);

    /// <summary>Rotate instead of filling with zeros. Default false.</summary>
    public bool Circular { get; init; }

    internal override void Validate(Problems p, string where)
    {
        base.Validate(p, where);
        ShiftSeconds.Check(p, $"{where}: shift_s", -5, 5);
    }

    internal override float[] Apply(float[] y, int sampleRate, AugmentationRandom rng, TransformContext ctx, out string description)
    {
        var s = ShiftSeconds.Sample(rng);
        var n = (int)Math.Round(s * sampleRate);
        description = $"time_shift(samples={n})";
        return WaveformEffects.Shift(y, n, Circular);
    }
}

/// <summary>Speed perturbation with a factor drawn from <see cref="Factor"/> (changes duration and pitch; see <see cref="WaveformEffects.Speed"/>).</summary>
public sealed record SpeedOptions : WaveformTransformOptions
{
    /// <inheritdoc />
    public override string Type => "speed";

    /// <summary>Speed factor, within [0.5, 2]. Default [0.9, 1.1].</summary>
    public ParameterRange Factor { get; init; } = new(0.9, 1.1);

    internal override void Validate(Problems p, string where)
    {
        base.Validate(p, where);
        Factor.Check(p, $"{where}: factor", 0.5, 2);
    }

    internal override float[] Apply(float[] y, int sampleRate, AugmentationRandom rng, TransformContext ctx, out string description)
    {
        var f = Factor.Sample(rng);
        description = $"speed(factor={F(f)})";
        return y.Length == 0 ? y : WaveformEffects.Speed(y, sampleRate, f);
    }
}

/// <summary>Pitch shift in semitones drawn from <see cref="Semitones"/>, duration kept (<see cref="PhaseVocoder.PitchShift"/>).</summary>
public sealed record PitchShiftOptions : WaveformTransformOptions
{
    /// <inheritdoc />
    public override string Type => "pitch_shift";

    /// <summary>Shift in semitones, within [-12, 12]. Default [-2, 2].</summary>
    public ParameterRange Semitones { get; init; } = new(-2, 2);

    internal override void Validate(Problems p, string where)
    {
        base.Validate(p, where);
        Semitones.Check(p, $"{where}: semitones", -12, 12);
    }

    internal override float[] Apply(float[] y, int sampleRate, AugmentationRandom rng, TransformContext ctx, out string description)
    {
        var s = Semitones.Sample(rng);
        description = $"pitch_shift(semitones={F(s)})";
        if (y.Length == 0) return y;
        var o = PhaseVocoder.PitchShift(y, sampleRate, s);
        NoiseMixer.PeakLimit(o);
        return o;
    }
}

/// <summary>Time stretch by a rate drawn from <see cref="Rate"/>, pitch kept (<see cref="PhaseVocoder.TimeStretch"/>).</summary>
public sealed record TimeStretchOptions : WaveformTransformOptions
{
    /// <inheritdoc />
    public override string Type => "time_stretch";

    /// <summary>Speed rate (2 = twice as fast), within [0.25, 4]. Default [0.8, 1.25].</summary>
    public ParameterRange Rate { get; init; } = new(0.8, 1.25);

    internal override void Validate(Problems p, string where)
    {
        base.Validate(p, where);
        Rate.Check(p, $"{where}: rate", 0.25, 4);
    }

    internal override float[] Apply(float[] y, int sampleRate, AugmentationRandom rng, TransformContext ctx, out string description)
    {
        var r = Rate.Sample(rng);
        description = $"time_stretch(rate={F(r)})";
        if (y.Length == 0) return y;
        var o = PhaseVocoder.TimeStretch(y, r);
        NoiseMixer.PeakLimit(o);
        return o;
    }
}

/// <summary>Reverberation with a synthetic room impulse response (<see cref="Reverb.SyntheticImpulseResponse"/>).</summary>
public sealed record ReverbOptions : WaveformTransformOptions
{
    /// <inheritdoc />
    public override string Type => "reverb";

    /// <summary>Reverberation time in seconds, within [0.05, 3]. Default [0.2, 0.8].</summary>
    public ParameterRange Rt60Seconds { get; init; } = new(0.2, 0.8);

    /// <summary>Direct-to-reverberant energy ratio in dB, within [-20, 20]. Default [0, 10].</summary>
    public ParameterRange DirectToReverberantDb { get; init; } = new(0, 10);

    internal override void Validate(Problems p, string where)
    {
        base.Validate(p, where);
        Rt60Seconds.Check(p, $"{where}: rt60_s", 0.05, 3);
        DirectToReverberantDb.Check(p, $"{where}: drr_db", -20, 20);
    }

    internal override float[] Apply(float[] y, int sampleRate, AugmentationRandom rng, TransformContext ctx, out string description)
    {
        var rt = Rt60Seconds.Sample(rng);
        var drr = DirectToReverberantDb.Sample(rng);
        description = $"reverb(rt60_s={F(rt)}, drr_db={F(drr)})";
        if (y.Length == 0) return y;
        return Reverb.Apply(y, Reverb.SyntheticImpulseResponse(sampleRate, rt, drr, rng));
    }
}

/// <summary>Telephone channel (<see cref="WaveformEffects.Telephone"/>), with a μ-law round trip with probability <see cref="MuLawProbability"/>.</summary>
public sealed record TelephoneOptions : WaveformTransformOptions
{
    /// <inheritdoc />
    public override string Type => "telephone";

    /// <summary>Probability in [0, 1] of the 8-bit μ-law round trip. Default 0.5.</summary>
    public double MuLawProbability { get; init; } = 0.5;

    internal override void Validate(Problems p, string where)
    {
        base.Validate(p, where);
        p.Require(MuLawProbability is >= 0 and <= 1, $"{where}: mu_law_p must lie within [0, 1] (got {MuLawProbability})");
    }

    internal override float[] Apply(float[] y, int sampleRate, AugmentationRandom rng, TransformContext ctx, out string description)
    {
        var mu = rng.Chance(MuLawProbability);
        description = $"telephone(mu_law={(mu ? "true" : "false")})";
        return y.Length == 0 ? y : WaveformEffects.Telephone(y, sampleRate, mu);
    }
}

/// <summary>Hard clipping at a fraction of the peak drawn from <see cref="Level"/> (<see cref="WaveformEffects.Clip"/>).</summary>
public sealed record ClippingOptions : WaveformTransformOptions
{
    /// <inheritdoc />
    public override string Type => "clipping";

    /// <summary>Clip level as a fraction of the peak, within [0.01, 1]. Default [0.3, 0.8].</summary>
    public ParameterRange Level { get; init; } = new(0.3, 0.8);

    internal override void Validate(Problems p, string where)
    {
        base.Validate(p, where);
        Level.Check(p, $"{where}: level", 0.01, 1);
    }

    internal override float[] Apply(float[] y, int sampleRate, AugmentationRandom rng, TransformContext ctx, out string description)
    {
        var l = Level.Sample(rng);
        description = $"clipping(level={F(l)})";
        return WaveformEffects.Clip(y, l);
    }
}
