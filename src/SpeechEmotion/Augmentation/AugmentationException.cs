namespace SpeechEmotion.Augmentation;

/// <summary>An augmentation cannot be carried out: missing noise, no babble talkers, bad audio, ...</summary>
public class AugmentationException : SpeechEmotionException
{
    /// <summary>Creates the exception with a message naming the utterance, file or value.</summary>
    public AugmentationException(string message) : base(message) { }
}

/// <summary>
/// Augmentation was asked to touch data that is not training data (a validation or test utterance, or a
/// training item that is a copy of a held-out one). Augmenting held-out data would make evaluation dishonest.
/// </summary>
public sealed class AugmentationLeakageException : AugmentationException
{
    /// <summary>Creates the exception naming the offending utterances.</summary>
    public AugmentationLeakageException(string message) : base(message) { }
}
