import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { junitSchemaErrors } from '../reporting/junit-schema.js';
import { allCases, parseJunit } from '../reporting/parse-junit.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { STACK_LINE, removeTempDirs, repoRoot, sop, tempDir, type CliResult } from './run-cli.js';
import { envelopeOf, resultOf } from '../support/cli-envelope.js';
import { readRunEvents } from '../../src/store/index.js';

afterAll(removeTempDirs);

/**
 * An SOP whose gates fail in every way on the offline model: `two_sections` passes, `short_enough`
 * fails with `warn`, `mentions_markup` fails, is revised once, then stops the run (exit 7). Its
 * feedback holds `<`, `&` and quotes, which the JUnit file must escape. `reviewer` is unreachable
 * (a validation warning).
 */
const GATES_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: gates-demo, version: 1.0.0 }
messages:
  Topic: { description: the topic }
  Outline:
    description: two section titles
    schema:
      type: object
      additionalProperties: false
      required: [sections]
      properties:
        sections: { type: array, minItems: 2, maxItems: 2, items: { type: string, minLength: 1 } }
  Section: { description: one section }
  Review: { description: never published }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  planner:
    profile: Planner
    watch: [Topic]
    actions:
      - id: outline
        prompt: "Outline {{ message.content }} in two sections."
        output: { type: Outline, format: json }
        gates:
          - name: two_sections
            assert: size(payload.sections) == 2
  writer:
    profile: Writer
    watch: [Outline]
    actions:
      - id: write_section
        foreach: message.payload.sections
        prompt: "Write the section {{ item }}."
        output: { type: Section, format: markdown }
        gates:
          - name: short_enough
            assert: size(output) < 10
            on_fail: warn
          - name: mentions_markup
            assert: output.contains("<never & \\"there\\">")
            on_fail: { revise: 1 }
  reviewer:
    profile: Reviewer
    watch: [Review]
    actions:
      - id: review
        prompt: "Review {{ message.content }}"
        output: { type: Section, format: markdown }
stop_when: { type: Section }
`;

/** A project folder holding the gates SOP; runs use the offline model, with the CI variables of the test's own environment cleared. */
function gatesProject(): string {
  const dir = tempDir('sop-ci-');
  writeFileSync(path.join(dir, 'sop.yaml'), GATES_SOP);
  return dir;
}

function run(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return sop(args, { cwd, env: { GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined, CI: undefined, HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), ...env } });
}

describe.concurrent('sop run --junit', () => {
  it('writes well-formed JUnit XML: a suite per role, each action run, foreach item and gate check a test case, failures with the escaped feedback', async () => {
    const cwd = gatesProject();
    const result = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--ci', '--junit', 'reports/junit.xml']);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(7);
    const xml = readFileSync(path.join(cwd, 'reports', 'junit.xml'), 'utf8');
    expect(await junitSchemaErrors(xml)).toEqual([]);
    const junit = parseJunit(xml);
    expect(junit.suites.map((suite) => suite.attributes['name'])).toEqual(['planner', 'writer', 'reviewer', 'run']);
    const cases = allCases(junit);
    expect(junit.attributes).toMatchObject({ name: 'gates-demo', tests: String(cases.length), failures: String(cases.filter((test) => test.failure).length) });
    const byName = new Map(cases.map((test) => [test.name, test]));

    expect(byName.get('outline')).toMatchObject({ classname: 'planner', suite: 'planner' });
    expect(byName.get('outline')?.failure).toBeUndefined();
    expect(byName.get('outline gate two_sections')?.failure).toBeUndefined();

    const feedback = 'gate "mentions_markup" failed: `output.contains("<never & \\"there\\">")` is false';
    // The revision of mentions_markup checks short_enough again: it failed on both attempts.
    expect(byName.get('write_section #0 gate short_enough')?.failure).toMatchObject({ type: 'GATE_FAILED', message: 'gate short_enough failed (on_fail: warn), after 2 attempts' });
    // The revised gate is one test case: the last attempt's failure, the earlier one as a rerun.
    expect(byName.get('write_section #0 gate mentions_markup')?.failure).toEqual({ type: 'GATE_FAILED', message: 'gate mentions_markup failed (on_fail: stop), after 2 attempts', text: feedback });
    expect(byName.get('write_section #0 gate mentions_markup')?.rerunFailures).toEqual([{ type: 'GATE_FAILED', message: 'gate mentions_markup failed on attempt 1 (on_fail: revise)', text: feedback }]);
    expect(byName.get('write_section #1 gate mentions_markup')?.classname).toBe('writer');
    expect(byName.get('write_section #0')?.failure?.message).toBe('gate mentions_markup stopped this item');
    expect(byName.get('write_section')?.failure).toMatchObject({ type: 'RUN_GATE_STOPPED', message: 'stopped by gate mentions_markup' });
    expect(junit.suites[2]?.cases).toEqual([]);
    expect(byName.get('sop run gates-demo')?.failure).toMatchObject({ type: 'RUN_GATE_STOPPED', message: 'gate_stopped (exit 7)' });
    expect(byName.get('sop run gates-demo')?.failure?.text).toContain('gate mentions_markup of writer write_section #0 stopped the run');
    // One rule for \`type\` (docs/ci.md): an UPPER_SNAKE code a CI job filters on, never a status word.
    expect(cases.flatMap((test) => [test.failure, ...(test.rerunFailures ?? [])]).map((problem) => problem?.type ?? 'GATE_FAILED').filter((type) => !/^[A-Z][A-Z0-9_]*$/.test(type))).toEqual([]);
  });

  it('a completed run has no failure; the run case passes', async () => {
    const cwd = gatesProject();
    writeFileSync(path.join(cwd, 'sop.yaml'), GATES_SOP.replace(/assert: output\.contains.*/, 'assert: size(output) > 0'));
    const result = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--junit', 'junit.xml', '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    const cases = allCases(parseJunit(readFileSync(path.join(cwd, 'junit.xml'), 'utf8')));
    expect(cases.find((test) => test.name === 'sop run gates-demo')?.failure).toBeUndefined();
    expect(cases.filter((test) => test.failure).map((test) => test.name)).toEqual(['write_section #0 gate short_enough', 'write_section #1 gate short_enough']);
  });

  it('--quiet on a gate stop names the gate, its action and what it found (no progress line said it)', async () => {
    const cwd = gatesProject();
    const result = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--quiet']);
    expect(result.code).toBe(7);
    // After the SOP's validation warning (its code frame): the status, why, and the hint.
    const all = result.stderr.trimEnd().split('\n');
    const lines = all.slice(all.indexOf('status: gate_stopped (exit 7)'));
    expect(lines[0]).toBe('status: gate_stopped (exit 7)');
    expect(lines[1]).toBe('gate mentions_markup of writer write_section #0 stopped the run: gate "mentions_markup" failed: `output.contains("<never & \\"there\\">")` is false');
    expect(lines[2]).toMatch(/^hint: a gate stopped the run/);
    expect(lines).toHaveLength(3);
  });

  it('a flag refused while the flags are read (--investment 0, --n-round 0, an unknown flag) gets its refused JUnit case, annotation and step summary; the JUnit file of the run before is replaced', async () => {
    const cwd = gatesProject();
    const before = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--junit', 'junit.xml', '--quiet']);
    expect(before.code).toBe(7);
    const github = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: path.join(cwd, 'summary.md') };
    const refusals: Array<[string[], string]> = [
      [['--investment', '0'], '--investment: must be a positive number, got "0"'],
      [['--n-round=0'], '--n-round: must be a whole number from 1 to 1000000, got "0"'],
      [['--bogus'], 'unknown flag --bogus'],
    ];
    for (const [flags, message] of refusals) {
      const refused = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', ...flags, '--junit', 'junit.xml'], github);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`error USAGE: ${message}`);
      const cases = allCases(parseJunit(readFileSync(path.join(cwd, 'junit.xml'), 'utf8')));
      expect(cases.map((test) => test.name)).toEqual(['sop run sop.yaml']);
      expect(cases[0]?.failure).toMatchObject({ type: 'USAGE', message: 'refused (exit 2)' });
      expect(cases[0]?.failure?.text).toContain(message);
      expect(refused.stderr).toContain(`::error file=sop.yaml,title=sop run refused%3A USAGE::${message}`);
    }
    const summary = readFileSync(path.join(cwd, 'summary.md'), 'utf8');
    expect(summary.match(/^### sop run: sop\.yaml ❌ refused$/gm)).toHaveLength(3);
    expect(summary).toContain('**USAGE** (exit 2): --investment: must be a positive number, got "0"');
  });

  it('a --junit path that cannot be written is refused before the run starts (it was found only after the whole run, hiding its result)', async () => {
    const cwd = gatesProject();
    const result = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--junit', '/proc/sop-junit.xml', '--ci']);
    expect(result.stderr).toMatch(/^error FILE_UNWRITABLE: --junit: cannot write \/proc\/sop-junit\.xml/m);
    expect(result.stderr).not.toMatch(/\[round 1\]/);
    expect(result.code).toBe(2);
    expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);
  });

  it('a gate that fails, is revised and then passes is a flaky pass (<flakyFailure>), not a failure; the file fits the JUnit schema', async () => {
    const cwd = gatesProject();
    // A command gate that fails the first time it checks an item and passes the next time.
    const failsOnce = '[node, -e, "const fs = require(\'fs\'), f = \'.checked-\' + process.argv[1]; if (!fs.existsSync(f)) { fs.writeFileSync(f, \'\'); console.log(\'first look: not yet\'); process.exit(1) }", "{{ index }}"]';
    writeFileSync(path.join(cwd, 'sop.yaml'), GATES_SOP.replace(/assert: output\.contains.*/, `command: { command: ${failsOnce} }`));
    const result = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--ci', '--junit', 'junit.xml']);
    expect(result.code, result.stderr).toBe(0);
    const xml = readFileSync(path.join(cwd, 'junit.xml'), 'utf8');
    expect(await junitSchemaErrors(xml)).toEqual([]);
    const cases = allCases(parseJunit(xml));
    const flaky = cases.find((test) => test.name === 'write_section #1 gate mentions_markup');
    expect(flaky?.failure).toBeUndefined();
    expect(flaky?.flakyFailures).toHaveLength(1);
    expect(flaky?.flakyFailures?.[0]).toMatchObject({ type: 'GATE_FAILED', message: 'gate mentions_markup failed on attempt 1 (on_fail: revise)' });
    expect(flaky?.flakyFailures?.[0]?.text).toContain('first look: not yet');
    expect(cases.filter((test) => test.failure).map((test) => test.name)).toEqual(['write_section #0 gate short_enough', 'write_section #1 gate short_enough']);
  });
});

describe.concurrent('sop run --events', () => {
  it('`--events -` prints every event as one JSON line on stdout, from run-start to run-end, matching the run record', async () => {
    const cwd = gatesProject();
    const result = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--events', '-', '--ci']);
    expect(result.code).toBe(7);
    const lines = result.stdout.trimEnd().split('\n');
    const events = lines.map((line) => JSON.parse(line) as { type: string; time: string });
    expect(events[0]?.type).toBe('run-start');
    expect(events[events.length - 1]).toMatchObject({ type: 'run-end', status: 'gate_stopped', exitCode: 7 });
    expect(events.filter((event) => event.type === 'gate-failed')).toHaveLength(8);
    const runsDir = path.join(cwd, '.sop', 'runs');
    const [runId] = readdirSync(runsDir);
    const recorded = readRunEvents(path.join(runsDir, runId as string));
    expect(events).toHaveLength(recorded.length);
    // Progress and the summary stay on stderr.
    expect(result.stderr).toContain('status: gate_stopped in round 2 (1 round completed)\n');
  });

  it('`--events FILE` writes the same lines to a file; `--events -` with --json is a usage error (exit 2)', async () => {
    const cwd = gatesProject();
    const written = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--events', 'out/events.ndjson', '--json']);
    expect(written.code).toBe(7);
    expect(resultOf(written)).toMatchObject({ status: 'gate_stopped', exitCode: 7 });
    const events = readFileSync(path.join(cwd, 'out', 'events.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(events.map((event) => event.type)).toContain('gate-passed');

    const refused = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--events', '-', '--json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error USAGE: --events - and --json both write to stdout');
    expect(envelopeOf(refused)).toMatchObject({ ok: false, error: { code: 'USAGE', message: '--events - and --json both write to stdout' } });
  });

  it('a run refused before it starts (an invalid SOP, exit 3) leaves no `--events` file behind, not an empty one', async () => {
    const cwd = gatesProject();
    writeFileSync(path.join(cwd, 'bad.yaml'), GATES_SOP.replace('stop_when:', 'bogus_field: 1\nstop_when:'));
    const refused = await run(cwd, ['run', 'bad.yaml', 'a tiny guide', '--events', 'ev.jsonl', '--ci']);
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(refused.code, refused.stderr).toBe(3);
    expect(existsSync(path.join(cwd, 'ev.jsonl'))).toBe(false);
  });

  it('a run refused for a missing input (exit 2) or a missing API key (exit 10) leaves no `--events` file either', async () => {
    const cwd = gatesProject();
    const missingInput = await run(cwd, ['run', 'sop.yaml', '--events', 'input.jsonl']);
    expect(missingInput.code, missingInput.stderr).toBe(2);
    expect(missingInput.stderr).toMatch(/^error INPUT_MISSING: /m);
    const missingKey = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--model', 'openai:gpt-4o-mini', '--events', 'key.jsonl'], { OPENAI_API_KEY: undefined });
    expect(missingKey.code, missingKey.stderr).toBe(10);
    expect(missingKey.stderr).toMatch(/^error PROVIDER_AUTH: /m);
    expect([existsSync(path.join(cwd, 'input.jsonl')), existsSync(path.join(cwd, 'key.jsonl'))]).toEqual([false, false]);
  });

  it('a refused run (invalid SOP, bad flag value, unknown flag) leaves an existing `--events` file as it was; a run that starts replaces it', async () => {
    const cwd = gatesProject();
    writeFileSync(path.join(cwd, 'bad.yaml'), GATES_SOP.replace('stop_when:', 'bogus_field: 1\nstop_when:'));
    const events = path.join(cwd, 'ev.jsonl');
    const earlier = '{"type":"run-start","runId":"earlier"}\n';
    writeFileSync(events, earlier);
    const refusals = [
      ['run', 'bad.yaml', 'a tiny guide', '--events', 'ev.jsonl'],
      ['run', 'sop.yaml', 'a tiny guide', '--events', 'ev.jsonl', '--investment', '0'],
      ['run', 'sop.yaml', 'a tiny guide', '--events', 'ev.jsonl', '--bogus'],
    ];
    for (const args of refusals) {
      const refused = await run(cwd, args);
      expect(refused.stderr).not.toMatch(STACK_LINE);
      expect(refused.code, refused.stderr).not.toBe(0);
      expect(readFileSync(events, 'utf8'), args.join(' ')).toBe(earlier);
    }
    // Nor the folders it would have made for a new file.
    const inNewFolders = await run(cwd, ['run', 'bad.yaml', 'a tiny guide', '--events', 'reports/events/ev.jsonl']);
    expect(inNewFolders.code, inNewFolders.stderr).toBe(3);
    expect(existsSync(path.join(cwd, 'reports'))).toBe(false);
    // This SOP's gate fails offline (exit 7): still a run that started, so its events replace the earlier ones.
    const ran = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--events', 'ev.jsonl', '--ci']);
    expect(ran.code, ran.stderr).toBe(7);
    expect(readFileSync(events, 'utf8')).not.toContain('earlier');
    expect(readFileSync(events, 'utf8')).toMatch(/^\{"type":"run-start"/);
  });

  it('`--event-prompts`: each model call\'s start event carries its rendered prompts; without it, none do', async () => {
    const cwd = gatesProject();
    await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--events', 'plain.ndjson', '--ci']);
    await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--events', 'prompts.ndjson', '--event-prompts', '--ci']);
    const starts = (file: string): Array<{ role: string; messages?: Array<{ role: string; content: string }> }> =>
      readFileSync(path.join(cwd, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line)).filter((event) => event.type === 'llm-call-start');
    expect(starts('plain.ndjson').length).toBeGreaterThan(0);
    expect(starts('plain.ndjson').every((event) => event.messages === undefined)).toBe(true);
    const withPrompts = starts('prompts.ndjson');
    expect(withPrompts.length).toBe(starts('plain.ndjson').length);
    for (const event of withPrompts) {
      expect(event.messages?.map((message) => message.role)).toEqual(['system', 'user']);
      expect(event.messages?.[1]?.content).toContain('a tiny guide');
    }
  });
});

describe.concurrent('sop run under GitHub Actions', () => {
  it('prints ::warning/::error annotations (validation warning, failed gates, the final failure) and appends a step summary', async () => {
    const cwd = gatesProject();
    const summaryFile = path.join(cwd, 'step-summary.md');
    writeFileSync(summaryFile, '# earlier step\n');
    const result = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--ci', '--json'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile });
    expect(result.code).toBe(7);
    // stdout stays the JSON report: annotations go to stderr, which the runner reads too.
    expect(resultOf(result)).toMatchObject({ status: 'gate_stopped' });
    const annotations = result.stderr.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toContain(
      '::warning file=sop.yaml,line=43,col=3,title=ROLE_UNREACHABLE::role `reviewer` never acts: nothing emits `Review`, and no message is addressed to it' +
        '%0Aexpected: a watched type that a start message, another role\'s action or a gate route emits' +
        '%0Ahint: emit one of `Review` from another role, address a message to `reviewer` with `to`, or remove the role',
    );
    expect(annotations).toContain('::warning file=sop.yaml,line=38,col=21,title=gate short_enough failed (writer write_section #0%2C on_fail%3A warn)::gate "short_enough" failed: `size(output) < 10` is false');
    expect(annotations).toContain('::error file=sop.yaml,line=41,col=21,title=gate mentions_markup failed (writer write_section #0%2C on_fail%3A stop)::gate "mentions_markup" failed: `output.contains("<never & \\"there\\">")` is false');
    expect(annotations[annotations.length - 1]).toMatch(/^::error file=sop\.yaml,line=41,col=21,title=sop run gate_stopped \(exit 7\)::gate mentions_markup of writer write_section #0 stopped the run: /);

    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary.startsWith('# earlier step\n### sop run: gates-demo 1.0.0 ⛔ gate_stopped\n')).toBe(true);
    expect(summary).toContain('| gate_stopped | 7 | 1 | 5 |');
    // Gates count once per item over their revisions: short_enough and mentions_markup failed for both items.
    expect(summary).toMatch(/^\| writer \| 1 \| 1 \| 0 \| 0 \| 4 \| 4 \| \d+ \| \$0 \|$/m);
    expect(summary).toMatch(/^\| planner \| 1 \| 0 \| 1 \| 0 \| 0 \| 1 \| \d+ \| \$0 \|$/m);
  });

  it('annotations name the SOP relative to the checkout (GITHUB_WORKSPACE), as GitHub places them, however the run was given it', async () => {
    const root = gatesProject();
    const sub = path.join(root, 'jobs');
    mkdirSync(sub);
    const github = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: root };
    for (const [cwd, file] of [[sub, path.join(root, 'sop.yaml')], [sub, '../sop.yaml'], [root, 'sop.yaml']] as const) {
      const result = await run(cwd, ['run', file, 'a tiny guide', '--ci'], github);
      expect(result.code, result.stderr).toBe(7);
      const files = result.stderr.split('\n').filter((line) => line.startsWith('::')).map((line) => /file=([^,]*)/.exec(line)?.[1]);
      expect(files.length).toBeGreaterThan(2);
      expect(new Set(files)).toEqual(new Set(['sop.yaml']));
    }
    const validated = await run(sub, ['validate', '--format', 'github', path.join(root, 'sop.yaml')], github);
    expect(validated.stdout).toMatch(/^::warning file=sop\.yaml,line=43,col=3,title=ROLE_UNREACHABLE::/m);
  });

  it('an unset ${env:NAME} of the configuration file is annotated at its line there, not at the SOP the run was given', async () => {
    const cwd = gatesProject();
    writeFileSync(path.join(cwd, 'sop.config.yaml'), 'providers:\n  openai:\n    api_key: ${env:TEAM_OPENAI_KEY}\n');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: cwd, TEAM_OPENAI_KEY: undefined, OPENAI_API_KEY: undefined };
    const result = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--ci', '--model', 'openai:gpt-4o-mini', '--json'], env);
    expect(result.code, result.stderr).toBe(11);
    expect(result.stderr).not.toMatch(STACK_LINE);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error file=sop\.config\.yaml,line=3,col=14,title=CONFIG_ENV_MISSING::environment variable TEAM_OPENAI_KEY is not set \(used by `providers\.openai\.api_key`\)%0Ahint: export TEAM_OPENAI_KEY=\.\.\./);
    expect(envelopeOf(result).error).toMatchObject({ code: 'CONFIG_ENV_MISSING', exitCode: 11, file: path.join(cwd, 'sop.config.yaml'), line: 3 });
  });

  it('sop lock --check, a CI step of its own, annotates each drifted file as sop run --frozen does; without GITHUB_ACTIONS it prints none', async () => {
    const cwd = tempDir('sop-ci-lock-');
    cpSync(path.join(repoRoot, 'examples', 'ci', 'release-notes'), path.join(cwd, 'notes'), { recursive: true });
    writeFileSync(path.join(cwd, 'notes', 'partials', 'style.liquid'), 'changed\n');
    const checked = await run(cwd, ['lock', 'notes/sop.yaml', '--check'], { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: cwd });
    expect(checked.code, checked.stderr).toBe(12);
    const annotations = checked.stderr.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations[0]).toBe('::error file=notes/sop.lock,title=LOCK_DRIFT::notes/sop.yaml drifted from notes/sop.lock (1 difference)');
    expect(annotations[1]).toMatch(/^::error file=notes\/partials\/style\.liquid,title=LOCK_DRIFT::changed since sop\.lock pinned it \(sha256 \w+ there, now \w+\)%0Ahint: if the change is intended, run `sop lock notes\/sop\.yaml`/);
    expect(annotations).toHaveLength(2);
    expect(checked.stderr).toContain('notes/partials/style.liquid: error LOCK_DRIFT: changed');
    const plain = await run(cwd, ['lock', 'notes/sop.yaml', '--check']);
    expect(plain.code).toBe(12);
    expect(plain.stderr).not.toMatch(/^::/m);
  });

  it('without GITHUB_ACTIONS there are no annotations, and --ci output is plain lines (no carriage returns or escape codes)', async () => {
    const cwd = gatesProject();
    const result = await run(cwd, ['run', 'sop.yaml', 'a tiny guide', '--ci']);
    expect(result.code).toBe(7);
    expect(result.stderr).not.toMatch(/^::/m);
    expect(result.stderr).not.toMatch(/[\r\u001b]/);
    expect(result.stderr).toContain('[round 2] writer write_section ... stopped by a gate');
    // A failing gate says why on the progress output, not only in the events.
    expect(result.stderr).toContain('[round 2] writer write_section #0: gate mentions_markup failed (stop)\n    gate "mentions_markup" failed: `output.contains("<never & \\"there\\">")` is false\n');
  });
});

const EXAMPLE = path.join(repoRoot, 'examples', 'ci');
const EXAMPLE_SOP = path.join(EXAMPLE, 'release-notes', 'sop.yaml');
const CASSETTE = path.join(EXAMPLE, 'release-notes.cassette');

/** Records the example's cassette from the fake OpenAI server and locks it again (SOP_UPDATE_CI_EXAMPLE=1). */
async function updateExample(): Promise<void> {
  const server = await startFakeOpenAI();
  try {
    const cwd = tempDir('sop-ci-record-');
    rmSync(CASSETTE, { force: true });
    const recorded = await sop(['run', EXAMPLE_SOP, '--record', CASSETTE, '--workspace', 'ws', '--ci'], {
      cwd,
      env: { HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: server.url },
    });
    expect(recorded.code, recorded.stderr).toBe(0);
    const locked = await sop(['lock', EXAMPLE_SOP], { cwd, env: { HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg') } });
    expect(locked.code, locked.stderr).toBe(0);
  } finally {
    await server.close();
  }
}

function bash(script: string, env: Record<string, string | undefined>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples/ci', () => {
  it('run-offline.sh passes: sop.lock and the cassette are current (SOP_UPDATE_CI_EXAMPLE=1 re-records them)', async () => {
    if (process.env['SOP_UPDATE_CI_EXAMPLE'] === '1') await updateExample();
    const reports = tempDir('sop-ci-reports-');
    const result = await bash(path.join(EXAMPLE, 'run-offline.sh'), { SOP_REPORTS_DIR: reports, GITHUB_ACTIONS: undefined, NODE_ENV: 'production' });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/^ok: release-notes completed in 2 rounds, 2 replayed calls, \d+ events$/m);
    // The SOP's own test cases ran first (sop test, scripted answers) and all passed.
    expect(result.stdout).toMatch(/^[1-9]\d* passed, 0 failed/m);
    expect(readFileSync(path.join(reports, 'sop-test-junit.xml'), 'utf8')).toContain('<testsuites');
    const cases = allCases(parseJunit(readFileSync(path.join(reports, 'sop-junit.xml'), 'utf8')));
    expect(cases.map((test) => test.name)).toEqual([
      'sort_changes',
      'sort_changes gate has_highlights',
      'write_notes',
      'write_notes gate not_empty',
      'write_notes gate has_heading',
      'sop run release-notes',
    ]);
  });

  it('the workflow tests the SOP, runs it frozen, in CI mode, from the cassette, and uploads the JUnit file', () => {
    const workflow = parseYaml(readFileSync(path.join(EXAMPLE, 'sop.yml'), 'utf8')) as { jobs: Record<string, { steps: Array<{ run?: string; uses?: string; with?: Record<string, string> }> }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const command = steps.map((step) => step.run ?? '').find((text) => /\bsop run\b/.test(text)) ?? '';
    for (const flag of ['--frozen', '--ci', '--replay examples/ci/release-notes.cassette', '--junit reports/sop-junit.xml']) expect(command).toContain(flag);
    expect(command).toContain('examples/ci/release-notes/sop.yaml');
    expect(steps.map((step) => step.run ?? '').find((text) => /\bsop test\b/.test(text))).toContain('examples/ci/release-notes');
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.['path']).toContain('reports/');
    expect(existsSync(CASSETTE)).toBe(true);
  });
});
