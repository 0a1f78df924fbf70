using System.CommandLine;
using SpeechEmotion.Training;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser evaluate CONFIG</c>: re-scores the fold models a previous run saved, on their test folds, and rewrites the reports.</summary>
internal static class EvaluateCommand
{
    internal static Command Create() => ExperimentCommand.Create("evaluate", "Score the saved fold models of an experiment on their test folds (no training); report mean ± std.", RunMode.Evaluate);
}
