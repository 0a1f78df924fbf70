namespace SpeechEmotion.Inference;

/// <summary>Audio that decodes but cannot be recognised: silent, too short, or longer than the clip limit.</summary>
public sealed class InferenceInputException : SpeechEmotionException
{
    /// <summary>Creates the exception; the message names the source and the problem.</summary>
    public InferenceInputException(string message) : base(message) { }
}
