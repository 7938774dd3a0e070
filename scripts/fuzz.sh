#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (with AddressSanitizer, in .build-fuzz) and runs each for
# SECONDS (default 20), one after another, seeded from fixtures/ (fixtures/fuzz/TARGET and the
# fixture folders of its input). Prints one line a target: executions, executions a second, the
# corpus it grew, coverage. A crash, a leak, a hang over 10 s or more than 2 GiB of memory fails the
# run: the input that did it is kept in fuzz-artifacts/ and its reproduction is printed.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET ...]      e.g. bash scripts/fuzz.sh 600 FuzzExposition
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
all=(FuzzExposition FuzzJSON FuzzRecording FuzzConfig FuzzTheme FuzzGRPCHealth FuzzPrometheus FuzzEngines)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

# The seed folders of each target, beside fixtures/fuzz/TARGET.
seeds() {
  case "$1" in
    FuzzExposition) echo fixtures/exposition ;;
    FuzzConfig) echo fixtures/configs docs/examples fixtures/kubernetes ;;
    FuzzTheme) echo themes fixtures/themes-bad ;;
    FuzzRecording) echo fixtures/recordings-bad ;;
    *) ;;
  esac
}

echo "fuzz: building the targets with -sanitize=fuzzer,address (first build: a few minutes)" >&2
for target in "${targets[@]}"; do  # one product at a time: a plain build would build grayctl's own executables too
  # --sanitize links libFuzzer and ASan; -Xswiftc/-Xcc instrument every module for coverage too
  # (SwiftPM's --sanitize=fuzzer alone leaves the Swift code without coverage counters).
  swift build --package-path fuzz --scratch-path .build-fuzz --sanitize=fuzzer --sanitize=address \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address --product "$target" >"${TMPDIR:-/tmp}/grayctl-fuzz-build.log" 2>&1 \
    || { grep -E "error" "${TMPDIR:-/tmp}/grayctl-fuzz-build.log" >&2; echo "fuzz: building $target failed" >&2; exit 1; }
done
bin=$(swift build --package-path fuzz --scratch-path .build-fuzz --sanitize=fuzzer --sanitize=address --show-bin-path)

mkdir -p fuzz-artifacts
# Swift's own backtracer and ASan's report fight over a crash (and the symbolizer can hang): ASan reports.
export SWIFT_BACKTRACE=enable=no
failed=0
for target in "${targets[@]}"; do
  [ -x "$bin/$target" ] || { echo "fuzz: $target was not built" >&2; exit 1; }
  corpus=$(mktemp -d "${TMPDIR:-/tmp}/grayctl-fuzz-$target.XXXXXX")
  log="$corpus.log"
  # shellcheck disable=SC2046
  own=()
  [ -d "fixtures/fuzz/$target" ] && own=("fixtures/fuzz/$target")
  if "$bin/$target" "$corpus" "${own[@]}" $(seeds "$target") \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
      -artifact_prefix="fuzz-artifacts/$target-" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
    echo "fuzz: $target ok: ${runs:-?} executions in ${seconds} s (${speed:-?}/s), corpus $(find "$corpus" -type f | wc -l) inputs, coverage ${coverage:-?} edges"
  else
    failed=1
    echo "fuzz: $target FAILED; the end of its log:" >&2
    tail -40 "$log" >&2
    for artifact in fuzz-artifacts/"$target"-*; do
      [ -e "$artifact" ] && echo "fuzz: reproduce with: $bin/$target $artifact" >&2
    done
  fi
  rm -rf "$corpus" "$log"
done
exit $failed
