namespace SpeechEmotion.Audio;

/// <summary>A description of an audio file: its source format and levels (what <c>ser info</c> prints).</summary>
/// <param name="Path">The file described.</param>
/// <param name="Source">Container, encoding, bits, channels and native rate.</param>
/// <param name="Frames">Samples per channel.</param>
/// <param name="Duration">Length in seconds.</param>
/// <param name="Peak">Largest absolute sample over all channels (linear, full scale 1.0).</param>
/// <param name="Rms">Root mean square over all channels' samples (linear).</param>
public sealed record AudioInfo(string Path, AudioSourceFormat Source, long Frames, double Duration, double Peak, double Rms)
{
    /// <summary>Peak in dB full scale (−∞ for digital silence).</summary>
    public double PeakDbfs => Loudness.ToDbfs(Peak);

    /// <summary>RMS in dB full scale (−∞ for digital silence).</summary>
    public double RmsDbfs => Loudness.ToDbfs(Rms);

    /// <summary>Decodes <paramref name="path"/> (all channels, native rate) and measures it.</summary>
    /// <exception cref="AudioFormatException">The file is missing, unreadable or not decodable.</exception>
    public static AudioInfo Describe(string path)
    {
        var audio = AudioReader.Read(path, new AudioReadOptions { Channels = ChannelMode.Keep });
        return new AudioInfo(path, audio.Source, audio.Frames, audio.Duration, Loudness.Peak(audio.Samples), Loudness.Rms(audio.Samples));
    }
}
