#!/usr/bin/env bash
# Whole-process eGeMAPS throughput, comparable with SMILExtract's figure in ../shared/reference/PEERS.md
# (0.70 s per 60 s file, ~86 audio-s/s, functionals + LLD CSV written): publishes `ser` ReadyToRun once,
# builds a 60 s 16 kHz WAV from RAVDESS speech, then times whole `ser features` processes (median of RUNS).
# Prints seconds per run and audio-seconds per second for: the functionals (egemaps-v02, CSV), the LLD
# (egemaps-v02-lld, CSV), both (sum of the two processes, what SMILExtract writes in one), and the
# in-process figure of `ser bench features --set egemaps-v02` on the same WAV.
# Usage: bench/egemaps-whole-process.sh [RUNS=7]   (REBUILD=1 to publish again; SER_SHARED to locate ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
work=${TMPDIR:-/tmp}/ser-egemaps-whole-process
pub=$work/r2r
mkdir -p "$work"
shared=${SER_SHARED:-}
if [ -z "$shared" ]; then
  d=$PWD; while [ "$d" != / ] && [ ! -d "$d/shared/datasets" ] && [ ! -d "$d/../shared/datasets" ]; do d=$(dirname "$d"); done
  if [ -d "$d/shared/datasets" ]; then shared=$d/shared; else shared=$d/../shared; fi
fi
if [ ! -x "$pub/ser" ] || [ "${REBUILD:-0}" = 1 ]; then
  rid=$(dotnet --info | awk '/RID:/ {print $2; exit}')
  dotnet publish src/SpeechEmotion.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
    -o "$pub" -v q -nologo >/dev/null
fi
wav=$work/speech60.wav
if [ ! -f "$wav" ]; then
  python3 - "$shared/datasets/ravdess-speech-16k" "$wav" <<'PY'
import sys, wave, glob
files = sorted(glob.glob(sys.argv[1] + '/**/*.wav', recursive=True))
target, frames, i = 60 * 16000, b'', 0
while len(frames) < 2 * target:
    with wave.open(files[i % len(files)]) as w:
        assert w.getframerate() == 16000 and w.getnchannels() == 1 and w.getsampwidth() == 2
        frames += w.readframes(w.getnframes())
    i += 1
with wave.open(sys.argv[2], 'wb') as o:
    o.setnchannels(1); o.setsampwidth(2); o.setframerate(16000); o.writeframes(frames[:2 * target])
PY
fi
time_one() { # prints the median wall time (s) of $runs runs of the command
  local t=()
  for _ in $(seq 1 "$runs"); do
    local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
    t+=("$(echo "$e - $s" | bc -l)")
  done
  printf '%s\n' "${t[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
"$pub/ser" features --set egemaps-v02 --format csv --threads 1 -o "$work/func" "$wav" >/dev/null # warm the file cache
func=$(time_one "$pub/ser" features --set egemaps-v02 --format csv --threads 1 -o "$work/func" "$wav")
lld=$(time_one "$pub/ser" features --set egemaps-v02-lld --format csv --threads 1 -o "$work/lld" "$wav")
both=$(echo "$func + $lld" | bc -l)
# Short-lived processes spend most of their time in the JIT and tiering: the same run with tiered
# compilation off (ReadyToRun code kept, the rest compiled optimised once).
functc=$(DOTNET_TieredCompilation=0 time_one "$pub/ser" features --set egemaps-v02 --format csv --threads 1 -o "$work/func" "$wav")
inproc=$("$pub/ser" bench features --set egemaps-v02 --seconds 60 --threads 1 --input "$wav")
awk -v f="$func" -v l="$lld" -v b="$both" -v t="$functc" -v r="$runs" 'BEGIN {
  printf "whole process, ReadyToRun, 60 s of 16 kHz speech, 1 thread, median of %d runs\n", r
  printf "  functionals (egemaps-v02, csv)      %.3f s  %6.1f audio-s/s  %.2fx SMILExtract (86)\n", f, 60 / f, 60 / f / 86
  printf "  LLD (egemaps-v02-lld, csv)          %.3f s  %6.1f audio-s/s\n", l, 60 / l
  printf "  both, two processes                 %.3f s  %6.1f audio-s/s  %.2fx SMILExtract (86)\n", b, 60 / b, 60 / b / 86
  printf "  functionals, DOTNET_TieredCompilation=0  %.3f s  %6.1f audio-s/s  %.2fx SMILExtract (86)\n", t, 60 / t, 60 / t / 86 }'
echo "in-process: $inproc"
