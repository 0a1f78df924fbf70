namespace SpeechEmotion.Audio;

/// <summary>
/// Raised for every problem decoding or writing audio: a malformed or truncated header, an
/// unsupported codec, impossible parameters, non-finite samples, or a missing external decoder.
/// The message names the source (file name or "stream") and the problem.
/// </summary>
public sealed class AudioFormatException : SpeechEmotionException
{
    /// <summary>Creates the exception; <paramref name="message"/> names the source and the problem.</summary>
    public AudioFormatException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping a lower-level cause (e.g. an I/O error).</summary>
    public AudioFormatException(string message, Exception inner) : base(message, inner) { }
}
