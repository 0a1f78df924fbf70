using System.Text.Json.Nodes;

namespace SpeechEmotion.Web;

/// <summary>
/// What the web layer needs from a recognizer. The service holds no recognition logic: the real
/// implementation (<c>RecognizerEngine</c>) adapts <c>SpeechEmotion.Inference</c>; tests plug in
/// the same adapter over a small seeded model.
/// </summary>
public interface IEmotionEngine
{
    /// <summary>Labels in the order of <see cref="WebPrediction.Probabilities"/>.</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>Sample rate (Hz) audio is resampled to before recognition.</summary>
    int SampleRate { get; }

    /// <summary>Model card: the manifest as JSON (labels, feature set, training data, metrics, licence).</summary>
    JsonObject ModelCard { get; }

    /// <summary>Recognises one clip of mono samples in [-1, 1] at <see cref="SampleRate"/>.</summary>
    /// <exception cref="SpeechEmotionException">The audio cannot be recognised (silent, too short, too long).</exception>
    WebPrediction Recognize(float[] samples, CancellationToken cancellation);

    /// <summary>Emotion over time for a long clip (mono, <see cref="SampleRate"/>), segments in time order.</summary>
    IReadOnlyList<TimelineSegment> Timeline(float[] samples, CancellationToken cancellation);

    /// <summary>Starts a live session that takes PCM as it arrives and returns rolling results.</summary>
    IStreamSession OpenStream();
}

/// <summary>A live recognition session; one per WebSocket, used from one thread at a time.</summary>
public interface IStreamSession : IDisposable
{
    /// <summary>Adds mono samples in [-1, 1] at the engine's rate; returns the results that became ready.</summary>
    IReadOnlyList<StreamResult> Push(ReadOnlySpan<float> samples);

    /// <summary>Ends the session: the whole recording's prediction (null when too short/silent) and its timeline.</summary>
    (WebPrediction? Overall, IReadOnlyList<TimelineSegment> Timeline) Complete();
}

/// <summary>The recognised emotion of a clip or window.</summary>
/// <param name="Label">Most probable label.</param>
/// <param name="Confidence">Its probability in [0, 1].</param>
/// <param name="Probabilities">Probability per label, in the model's label order; each in [0, 1], summing to 1.</param>
/// <param name="Arousal">Arousal in [0, 1] (or a standardised score) when the model has that head; else null.</param>
/// <param name="Valence">Valence in [0, 1] (or a standardised score) when the model has that head; else null.</param>
/// <param name="Duration">Seconds of audio the prediction is based on.</param>
public sealed record WebPrediction(string Label, float Confidence, IReadOnlyDictionary<string, float> Probabilities,
    float? Arousal, float? Valence, double Duration);

/// <summary>One stretch of a timeline.</summary>
/// <param name="Start">Start time in seconds from the beginning of the audio.</param>
/// <param name="End">End time in seconds.</param>
/// <param name="Prediction">What was heard in that stretch.</param>
public sealed record TimelineSegment(double Start, double End, WebPrediction Prediction);

/// <summary>A rolling result of a live session.</summary>
/// <param name="Start">Window start in seconds since the session began.</param>
/// <param name="End">Window end in seconds.</param>
/// <param name="Prediction">The window's prediction, or null when the window was silent.</param>
public sealed record StreamResult(double Start, double End, WebPrediction? Prediction);
