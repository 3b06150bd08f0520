#!/usr/bin/env bash
# The steps of examples/ci/sop.yml, runnable anywhere: no key, no network, nothing written outside a
# temporary folder. Uses this repository's built CLI (`npm run build` first), or $SOP when set
# (e.g. SOP=sop for an installed one). Exits non-zero when any step fails.
#
#   bash examples/ci/run-offline.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

sop_cmd=(${SOP:-node bin/sop.js})
example=examples/ci/release-notes/sop.yaml
cassette=examples/ci/release-notes.cassette

work="$(mktemp -d "${TMPDIR:-/tmp}/sop-ci-example.XXXXXX")"
trap 'rm -rf "$work"' EXIT
reports="${SOP_REPORTS_DIR:-$work/reports}"
mkdir -p "$reports"
# Keep the developer's own configuration, keys and cache out of it.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" SOP_NO_CACHE=1
unset OPENAI_API_KEY OPENAI_BASE_URL ANTHROPIC_API_KEY ANTHROPIC_BASE_URL OLLAMA_HOST SOP_MODEL SOP_PROVIDER

echo "== sop validate $example"
"${sop_cmd[@]}" validate "$example" --format github

echo "== sop lock --check (sop.lock pins the SOP, its prompts, schema, partial and model)"
"${sop_cmd[@]}" lock "$example" --check

echo "== sop test (the SOP's test cases, on scripted answers)"
"${sop_cmd[@]}" test examples/ci/release-notes --junit "$reports/sop-test-junit.xml"

echo "== sop run --frozen --ci --replay (answers from the cassette: no key, no network)"
"${sop_cmd[@]}" run "$example" --frozen --ci \
  --replay "$cassette" \
  --junit "$reports/sop-junit.xml" \
  --events "$reports/sop-events.ndjson" \
  --workspace "$work/workspace" --runs-dir "$work/runs" \
  --json > "$reports/sop-report.json"

echo "== checking the reports"
node - "$reports" <<'NODE'
const { readFileSync } = require('node:fs');
const dir = process.argv[2];
const fail = (message) => { console.error(`run-offline: ${message}`); process.exit(1); };
// `--json` prints one envelope: {ok, exitCode, result: the run's report, error}.
const envelope = JSON.parse(readFileSync(`${dir}/sop-report.json`, 'utf8'));
const report = envelope.result;
if (!envelope.ok || !report) fail(`sop run refused or failed: ${envelope.error?.code}: ${envelope.error?.message}`);
if (report.status !== 'completed' || report.exitCode !== 0) fail(`run ended ${report.status} (exit ${report.exitCode})`);
if (report.usage.total.calls !== report.usage.total.cachedCalls) fail('a call was not answered from the cassette');
if (!report.artifacts.some((artifact) => artifact.path === 'RELEASE_NOTES.md')) fail('RELEASE_NOTES.md was not written');
const junit = readFileSync(`${dir}/sop-junit.xml`, 'utf8');
if (!/<testsuites name="release-notes" tests="\d+" failures="0"/.test(junit)) fail('the JUnit report is missing or has failures');
if (!junit.includes('gate has_highlights')) fail('the JUnit report does not list the gates');
const events = readFileSync(`${dir}/sop-events.ndjson`, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
if (events[0]?.type !== 'run-start' || events.at(-1)?.type !== 'run-end') fail('the event stream does not go from run-start to run-end');
console.log(`ok: ${report.sop.name} ${report.status} in ${report.rounds} rounds, ${report.usage.total.calls} replayed calls, ${events.length} events`);
NODE
