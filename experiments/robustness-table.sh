#!/usr/bin/env bash
# Reproduces the augmentation/robustness table of issue #8 (README): clean-trained vs augmented-trained
# functionals MLP on speaker-independent RAVDESS 5-fold, scored on the clean test folds and on the same folds
# with babble and pink noise at 10 dB and 0 dB SNR. Run from the repository root; add --resume to reuse finished folds.
# Costly part: features of the augmented copies (5 folds x 1152 training clips x 3 copies, cached after the first run).
set -euo pipefail
cd "$(dirname "$0")/.."
SER=(dotnet run --project src/SpeechEmotion.Cli -c Release --)
nice -n 19 "${SER[@]}" cv experiments/ravdess-augment-clean.yaml --robustness "$@"
nice -n 19 "${SER[@]}" cv experiments/ravdess-augment-default.yaml --robustness \
  --compare-with runs/ravdess-augment-clean/robustness.json "$@" | tee runs/robustness-table.md
