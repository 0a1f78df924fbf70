namespace SpeechEmotion.Audio;

/// <summary>What to do with more than one channel.</summary>
public enum ChannelMode
{
    /// <summary>Mix down to mono by averaging all channels (the default).</summary>
    Average,
    /// <summary>Keep only the channel <see cref="AudioReadOptions.Channel"/> (0-based).</summary>
    Pick,
    /// <summary>Keep every channel, interleaved by frame.</summary>
    Keep,
}

/// <summary>Options for <see cref="AudioReader"/>. Immutable; validated when a read starts.</summary>
public sealed record AudioReadOptions
{
    /// <summary>Default options: mono by averaging, native sample rate.</summary>
    public static AudioReadOptions Default { get; } = new();

    /// <summary>Resample to this rate in Hz (1,000–768,000); null (default) keeps the native rate.</summary>
    public int? TargetSampleRate { get; init; }

    /// <summary>Channel handling; default <see cref="ChannelMode.Average"/>.</summary>
    public ChannelMode Channels { get; init; } = ChannelMode.Average;

    /// <summary>The 0-based channel kept when <see cref="Channels"/> is <see cref="ChannelMode.Pick"/>; default 0.</summary>
    public int Channel { get; init; }

    /// <summary>Quality of the resampler used for <see cref="TargetSampleRate"/>; default <see cref="ResamplerQuality.High"/>.</summary>
    public ResamplerQuality ResamplerQuality { get; init; } = ResamplerQuality.High;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public void Validate()
    {
        new Problems()
            .Require(TargetSampleRate is null || (TargetSampleRate >= WavFormat.MinSampleRate && TargetSampleRate <= WavFormat.MaxSampleRate),
                $"TargetSampleRate {TargetSampleRate} Hz is outside {WavFormat.MinSampleRate}–{WavFormat.MaxSampleRate} Hz.")
            .Require(Enum.IsDefined(Channels), $"Channels {(int)Channels} is not a ChannelMode.")
            .Require(Channel >= 0, $"Channel {Channel} must be ≥ 0.")
            .Require(Enum.IsDefined(ResamplerQuality), $"ResamplerQuality {(int)ResamplerQuality} is not defined.")
            .ThrowIfAny(nameof(AudioReadOptions));
    }
}
