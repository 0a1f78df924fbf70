namespace SpeechEmotion.Features;

/// <summary>Registers the sets this library ships.</summary>
internal static class BuiltInSets
{
    public static void RegisterAll()
    {
        FeatureSets.Register(LogMelSet.SetName, LogMelSet.Create, LogMelSet.FromJson);
        FeatureSets.Register(MfccSet.SetName, MfccSet.Create, MfccSet.FromJson);
        FeatureSets.Register(ZcrRmsMfccSet.SetName, ZcrRmsMfccSet.Create, ZcrRmsMfccSet.FromJson);
        FeatureSets.Register(LldSet.SetName, LldSet.Create, LldSet.FromJson);
        FeatureSets.Register(FunctionalsSet.SetName, FunctionalsSet.Create, FunctionalsSet.FromJson);
        FeatureSets.Register(RichFunctionalsSet.SetName, RichFunctionalsSet.Create, RichFunctionalsSet.FromJson);
    }
}
