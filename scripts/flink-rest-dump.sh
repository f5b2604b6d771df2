#!/usr/bin/env bash
# Saves what `npm run sim -- import` reads from a running Flink job's REST API into a
# folder, one JSON file per GET, named by the URL path with .json appended and the query
# string dropped (GET /jobs/overview is saved as overview.json):
#
#   overview.json                                          GET /jobs/overview
#   jobs/<jid>.json                                        GET /jobs/<jid>          (job details with the plan)
#   jobs/<jid>/config.json                                 GET /jobs/<jid>/config
#   jobs/<jid>/vertices/<vid>.json                         GET /jobs/<jid>/vertices/<vid>
#   jobs/<jid>/vertices/<vid>/subtasks/metrics.json        GET .../subtasks/metrics?get=<the metrics below>
#   taskmanagers.json                                      GET /taskmanagers
#
# The subtask metrics kept are those the import reads (src/ingest/restDump.ts,
# isImportedMetric): numRecordsIn/OutPerSecond, busyTimeMsPerSecond,
# backPressuredTimeMsPerSecond, idleTimeMsPerSecond, every operator's
# <operator>.numRecordsIn/OutPerSecond, <source>.pendingRecords and the Kafka readers'
# ...KafkaSourceReader.topic.<t>.partition.<n>.currentOffset.
#
# Usage: scripts/flink-rest-dump.sh <url> <jobid> <folder>
#   e.g. kubectl port-forward svc/my-job-rest 8081 &
#        scripts/flink-rest-dump.sh http://localhost:8081 3f9a... dump/
#        npm run sim -- import dump/ --deployment my-job.yaml --out my-job.yaml
# Needs bash and curl only. Exit 2 with one line on stderr when something is wrong.
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 <url> <jobid> <folder>   (e.g. $0 http://localhost:8081 <jid from GET /jobs/overview> dump/)" >&2
  exit 2
fi
url="${1%/}"
jid="$2"
out="$3"
if ! [[ "$jid" =~ ^[0-9a-f]{32}$ ]]; then
  echo "$0: '$jid' is not a Flink JobID (32 hex digits; GET $url/jobs/overview lists them)" >&2
  exit 2
fi

timeout_s="${FLINK_REST_TIMEOUT:-10}"

# get <path> <file>: GET $url<path> into $out/<file>, atomically; one line and exit 2 on failure.
get() {
  local path="$1" file="$out/$2" tmp status
  mkdir -p "$(dirname "$file")"
  tmp="$file.part"
  if ! status=$(curl -sS --max-time "$timeout_s" --retry 3 --retry-delay 1 --retry-connrefused \
      -H 'Accept: application/json' -o "$tmp" -w '%{http_code}' "$url$path" 2>/tmp/flink-rest-dump.$$); then
    echo "$url$path: unreachable: $(tail -n 1 /tmp/flink-rest-dump.$$)" >&2
    rm -f "$tmp" /tmp/flink-rest-dump.$$
    exit 2
  fi
  rm -f /tmp/flink-rest-dump.$$
  if [ "$status" != "200" ]; then
    echo "$url$path: HTTP $status: $(head -c 200 "$tmp" | tr '\n' ' ')" >&2
    rm -f "$tmp"
    exit 2
  fi
  mv "$tmp" "$file"
}

# ids <file>: the strings of every "id": "..." in a JSON file, one a line.
ids() {
  grep -o '"id" *: *"[^"]*"' "$1" | sed -e 's/^"id" *: *"//' -e 's/"$//'
}

# urlencode <text>: percent-encodes all but unreserved characters.
urlencode() {
  local LC_ALL=C s="$1" i c out=""
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._~-]) out+="$c" ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

mkdir -p "$out"
get "/jobs/overview" "overview.json"
get "/jobs/$jid" "jobs/$jid.json"
if ! grep -q '"plan"' "$out/jobs/$jid.json"; then
  echo "$out/jobs/$jid.json: job details without a plan: the topology cannot be read" >&2
  exit 2
fi
get "/jobs/$jid/config" "jobs/$jid/config.json"
get "/taskmanagers" "taskmanagers.json"

# Vertex ids: the 32-hex ids of the job details (vertices and plan nodes name the same ones).
vertices=$(ids "$out/jobs/$jid.json" | grep -E '^[0-9a-f]{32}$' | sort -u)
wanted='^(numRecordsInPerSecond|numRecordsOutPerSecond|busyTimeMsPerSecond|backPressuredTimeMsPerSecond|idleTimeMsPerSecond)$|\.numRecordsInPerSecond$|\.numRecordsOutPerSecond$|\.pendingRecords$|\.KafkaSourceReader\.topic\..+\.partition\.[0-9]+\.currentOffset$'
for vid in $vertices; do
  get "/jobs/$jid/vertices/$vid" "jobs/$jid/vertices/$vid.json"
  names="$out/jobs/$jid/vertices/$vid/subtasks/metrics.json"
  get "/jobs/$jid/vertices/$vid/subtasks/metrics" "jobs/$jid/vertices/$vid/subtasks/metrics.json"
  # The values, in requests of at most ~3000 characters of query (Flink's REST server refuses
  # a request line over 4096 bytes), merged into one JSON list.
  query=""
  parts=()
  while IFS= read -r name; do
    [ -n "$name" ] || continue
    enc=$(urlencode "$name")
    if [ -n "$query" ] && [ $((${#query} + ${#enc} + 1)) -gt 3000 ]; then
      parts+=("$query")
      query=""
    fi
    query+="${query:+,}$enc"
  done < <(ids "$names" | grep -E "$wanted" || true)
  [ -z "$query" ] || parts+=("$query")
  if [ "${#parts[@]}" -gt 0 ]; then
    base="jobs/$jid/vertices/$vid/subtasks/metrics"
    i=0
    for q in "${parts[@]}"; do
      get "/$base?get=$q" "$base.part$i.json"
      i=$((i + 1))
    done
    {
      printf '['
      sep=""
      for ((k = 0; k < i; k++)); do
        body=$(tr -d '\n' < "$out/$base.part$k.json" | sed -e 's/^[[:space:]]*\[//' -e 's/\][[:space:]]*$//')
        if [ -n "${body//[[:space:]]/}" ]; then
          printf '%s%s' "$sep" "$body"
          sep=","
        fi
        rm -f "$out/$base.part$k.json"
      done
      printf ']\n'
    } > "$out/$base.json.part"
    mv "$out/$base.json.part" "$out/$base.json"
  fi
done
echo "$out: $(find "$out" -name '*.json' | wc -l | tr -d ' ') files from $url (job $jid)" >&2
