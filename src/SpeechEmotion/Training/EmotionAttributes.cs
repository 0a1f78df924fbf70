using SpeechEmotion.Corpora;

namespace SpeechEmotion.Training;

/// <summary>
/// The implicit attributes the perception-multitask model learns next to the category (Liu, Cai &amp; Wang
/// 2023): binary arousal and valence derived from the emotion label, following the circumplex placement
/// of each category (Russell 1980).
/// </summary>
public static class EmotionAttributes
{
    /// <summary>P(high arousal) target: 1 for angry, happy, fearful, surprised, disgust, excited, frustrated,
    /// anxious, assertive; 0 for neutral, calm, sad, boredom, apologetic, concerned; 0.5 otherwise.</summary>
    public static float HighArousal(Emotion e) => e switch
    {
        Emotion.Angry or Emotion.Happy or Emotion.Fearful or Emotion.Surprised or Emotion.Disgust or Emotion.Excited
            or Emotion.Frustrated or Emotion.Anxious or Emotion.Assertive or Emotion.Encouraging => 1f,
        Emotion.Neutral or Emotion.Calm or Emotion.Sad or Emotion.Boredom or Emotion.Apologetic or Emotion.Concerned => 0f,
        _ => 0.5f,
    };

    /// <summary>P(positive valence) target: 1 for happy, calm, surprised, excited, encouraging; 0 for sad, angry,
    /// fearful, disgust, boredom, frustrated, anxious, apologetic, concerned; 0.5 for neutral and the rest.</summary>
    public static float PositiveValence(Emotion e) => e switch
    {
        Emotion.Happy or Emotion.Calm or Emotion.Surprised or Emotion.Excited or Emotion.Encouraging => 1f,
        Emotion.Sad or Emotion.Angry or Emotion.Fearful or Emotion.Disgust or Emotion.Boredom or Emotion.Frustrated
            or Emotion.Anxious or Emotion.Apologetic or Emotion.Concerned => 0f,
        _ => 0.5f,
    };
}
