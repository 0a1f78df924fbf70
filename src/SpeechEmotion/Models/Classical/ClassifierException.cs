namespace SpeechEmotion.Models.Classical;

/// <summary>
/// Raised for bad training or prediction input to a classical classifier: non-finite features,
/// mismatched lengths, labels out of range, a single class, an empty set, or use before fitting.
/// </summary>
public sealed class ClassifierInputException : SpeechEmotionException
{
    /// <summary>Creates the exception with a message naming the offending value.</summary>
    public ClassifierInputException(string message) : base(message) { }
}

/// <summary>Raised when a saved classical model file cannot be read (missing, malformed, wrong kind or version).</summary>
public sealed class ModelFormatException : SpeechEmotionException
{
    /// <summary>Creates the exception with a message naming the file and the problem.</summary>
    public ModelFormatException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the lower-level cause.</summary>
    public ModelFormatException(string message, Exception inner) : base(message, inner) { }
}
