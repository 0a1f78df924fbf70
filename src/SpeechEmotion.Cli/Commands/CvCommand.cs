using System.CommandLine;
using SpeechEmotion.Training;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser cv CONFIG [--resume] [--allow-leakage]</c>: trains and scores every fold; WA/UA/F1 mean ± std.</summary>
internal static class CvCommand
{
    internal static Command Create() => ExperimentCommand.Create("cv", "Cross-validate an experiment YAML: train and score every fold, report mean ± std.", RunMode.CrossValidate);
}
