namespace SpeechEmotion.Tests.Nn;

/// <summary>Nn tests change process-wide settings (thread count, GEMM kernel): run them one at a time.</summary>
[CollectionDefinition("Nn", DisableParallelization = true)]
public class NnCollection;
