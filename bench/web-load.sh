#!/usr/bin/env bash
# Loopback load test of POST /api/v1/recognize: the server (dotnet src/SpeechEmotion.Web) in one process, the
# load client in another. Stops by itself. Usage: bench/web-load.sh [MODEL] [CONCURRENCY] [DURATION_S]
# MODEL defaults to models/default.sermodel when present, else a seeded untrained functionals-mlp model.
set -euo pipefail
cd "$(dirname "$0")/.."
conc=${2:-8}; dur=${3:-20}; port=${PORT:-5391}
dotnet build src/SpeechEmotion.Web -c Release -v q -nologo >/dev/null
dotnet build bench/SpeechEmotion.WebLoad -c Release -v q -nologo >/dev/null
load=bench/SpeechEmotion.WebLoad/bin/Release/net10.0/SpeechEmotion.WebLoad
model=${1:-}
if [ -z "$model" ]; then
  if [ -f models/default.sermodel ]; then model=models/default.sermodel
  else model=$(mktemp -d)/load.sermodel; "$load" make-model "$model" >/dev/null; fi
fi
src/SpeechEmotion.Web/bin/Release/net10.0/SpeechEmotion.Web --port "$port" --model "$model" --rate-limit 0 >/tmp/ser-web-load-server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
# Rate limiting is per client: the load test is one client, so the server's default 600/min would cap it.
"$load" run --url "http://127.0.0.1:$port" --clip samples/happy-actor06.wav --seconds 3 --concurrency "$conc" \
  --duration "$dur" --warmup 3 --server-pid "$server"
