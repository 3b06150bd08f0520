import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * A newcomer's release-notes SOP, written from the README and docs/ alone: a parser splits a git
 * log into commits, a classifier takes each commit (`foreach`), a writer drafts the notes from all
 * of them (a batch action behind a human gate), a reviewer approves or sends them back (a loop
 * ended by `stop_when`). Each test breaks it the way the newcomer did, and pins that `sop validate`
 * says so before a run pays for the model calls.
 */
afterAll(removeTempDirs);

const NOTES = `apiVersion: sop/v1
kind: SOP
metadata: { name: release-notes, version: 0.1.0, requires: ">=0.2 <1" }
messages:
  GitLog: { description: the git log }
  CommitList:
    schema:
      type: object
      additionalProperties: false
      required: [commits]
      properties:
        commits:
          type: array
          items: { type: object, additionalProperties: false, required: [sha, subject], properties: { sha: { type: string }, subject: { type: string } } }
  ChangeEntry:
    schema:
      type: object
      additionalProperties: false
      required: [sha, category, line]
      properties: { sha: { type: string }, category: { enum: [feature, fix] }, line: { type: string } }
  Draft: { description: the release notes }
  Review:
    schema: { type: object, additionalProperties: false, required: [approved], properties: { approved: { type: boolean } } }
start: [{ type: GitLog, content: "{{ inputs.idea }}" }]
roles:
  parser:
    profile: Release engineer
    watch: [GitLog]
    actions:
      - id: split_log
        prompt: "Split this git log into commits: {{ message.content }}"
        output: { type: CommitList, format: json }
  classifier:
    profile: Changelog curator
    watch: [CommitList]
    actions:
      - id: classify
        foreach: message.payload.commits
        prompt: "Classify this commit: {{ item.sha }} {{ item.subject }}"
        output: { type: ChangeEntry, format: json }
  writer:
    profile: Technical writer
    watch: [ChangeEntry, Review]
    actions:
      - id: write_notes
        when: { type: ChangeEntry, batch: true }
        prompt: |
          Write release notes from these changes:
          {% for m in messages %}- [{{ m.payload.category }}] {{ m.payload.line }}
          {% endfor %}
        output: { type: Draft, format: markdown }
        artifacts: [{ path: RELEASE_NOTES.md }]
        gates:
          - { name: publish, human: { prompt: "Publish these notes?" }, on_fail: { revise: 2 } }
      - id: revise_notes
        when: { type: Review, if: "!payload.approved" }
        max_runs: 2
        prompt: "Revise the notes."
        output: { type: Draft, format: markdown }
  reviewer:
    profile: Release manager
    watch: [Draft]
    actions:
      - id: review
        prompt: "Review: {{ message.content }}"
        output: { type: Review, format: json }
stop_when: { type: Review, if: payload.approved }
`;

/** The SOP with `from` replaced once; a `from` it lacks fails the test, not the SOP. */
function edited(from: string, to: string): string {
  expect(NOTES).toContain(from);
  return NOTES.replace(from, to);
}

async function validate(sopText: string): Promise<CliResult> {
  const cwd = tempDir();
  writeFileSync(path.join(cwd, 'notes.yaml'), sopText);
  const result = await sop(['validate', 'notes.yaml'], { cwd });
  expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
  return result;
}

describe('a newcomer\'s release-notes SOP', () => {
  it('is valid as written, with no warning', async () => {
    const result = await validate(NOTES);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('0 errors, 0 warnings');
  });

  it('a declared type a role watches but nothing publishes: a warning at the watch entry, not silence', async () => {
    const result = await validate(edited('  Draft: { description: the release notes }', '  Draft: { description: the release notes }\n  Approval: { description: a sign-off }')
      .replace('watch: [Draft]', 'watch: [Draft, Approval]'));
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('notes.yaml:63:20: warning MESSAGE_UNPUBLISHED: message type `Approval` is watched by role `reviewer`, but nothing publishes it (no start message, action output or gate route)\n'
      + '  expected: an action with `output: { type: Approval }`, a start message or a gate\'s `route: Approval`\n'
      + '  hint: publish `Approval` from an action (`output: { type: Approval, ... }`), or take it out of `reviewer`\'s `watch`\n');
    expect(result.stdout).toContain('0 errors, 1 warning');
  });

  it('an action waiting for a type nothing publishes: it never runs, and the warning says so at its `when.type`, beside the one that the role does not watch it', async () => {
    const result = await validate(edited('  Draft: { description: the release notes }', '  Draft: { description: the release notes }\n  Approval: { description: a sign-off }')
      .replace('when: { type: Review, if: "!payload.approved" }', 'when: { type: Approval }'));
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('notes.yaml:57:23: warning MESSAGE_UNPUBLISHED: message type `Approval` triggers action `revise_notes` of role `writer`, but nothing publishes it (no start message, action output or gate route)\n'
      + '  expected: an action with `output: { type: Approval }`, a start message or a gate\'s `route: Approval`\n'
      + '  hint: publish `Approval` from an action (`output: { type: Approval, ... }`), or make `revise_notes` wait for a type another action outputs: it never runs\n');
    // Adding it to the watch, as WHEN_TYPE_UNWATCHED says, would not be enough: both are said.
    expect(result.stdout).toContain('warning WHEN_TYPE_UNWATCHED');
    expect(result.stdout.match(/MESSAGE_UNPUBLISHED/g)).toHaveLength(1);
  });

  it('an action waiting for the type its own role alone outputs (a self-refining writer): it never runs, as a role never receives its own messages', async () => {
    const result = await validate(NOTES.replace('watch: [ChangeEntry, Review]', 'watch: [ChangeEntry, Review, Draft]')
      .replace('when: { type: Review, if: "!payload.approved" }', 'when: { type: Draft }'));
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('notes.yaml:56:23: warning MESSAGE_UNPUBLISHED: message type `Draft` triggers action `revise_notes` of role `writer`, but only `writer` publishes it, and a role never receives its own messages\n'
      + '  expected: another role, a start message or a gate\'s `route` publishing `Draft`\n'
      + '  hint: `revise_notes` never runs: to revise an output, give its action a gate with `on_fail: { revise: N }`, or move `revise_notes` to a role of its own that watches `Draft`\n');
    // The reviewer, another role, gets the writer's drafts: no warning of its watch.
    expect(result.stdout.match(/MESSAGE_UNPUBLISHED/g)).toHaveLength(1);
  });

  it('`stop_when` on a type nothing publishes: no run can complete, and the warning says so at the type', async () => {
    const result = await validate(edited('  Draft: { description: the release notes }', '  Draft: { description: the release notes }\n  Approved: { description: a sign-off }')
      .replace('stop_when: { type: Review, if: payload.approved }', 'stop_when: [{ type: Review, if: payload.approved }, { type: Approved }]'));
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('notes.yaml:68:61: warning MESSAGE_UNPUBLISHED: message type `Approved` ends the run (`stop_when`), but nothing publishes it (no start message, action output or gate route)\n');
    expect(result.stdout).toContain('  hint: publish `Approved` from an action (`output: { type: Approved, ... }`), or stop on a type an action outputs: no run completes on it\n');
  });

  it('a role watching only a type nothing publishes: ROLE_UNREACHABLE alone names it, not a second warning', async () => {
    const result = await validate(edited('  Draft: { description: the release notes }', '  Draft: { description: the release notes }\n  Approval: { description: a sign-off }')
      .replace('watch: [Draft]', 'watch: [Approval]'));
    expect(result.stdout).toContain('warning ROLE_UNREACHABLE: role `reviewer` never acts: nothing emits `Approval`');
    expect(result.stdout).not.toContain('MESSAGE_UNPUBLISHED');
  });

  it('a typo in a field of a batch action\'s `messages` loop (`m.payload.categroy`): an error at the field, with did-you-mean, not a run that fails at that prompt (exit 9)', async () => {
    const result = await validate(edited('- [{{ m.payload.category }}]', '- [{{ m.payload.categroy }}]'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('notes.yaml:49:50: error TEMPLATE_VARIABLE_UNKNOWN: `categroy`: a message of `messages`, which this template loops over, has no field `categroy` in its payload (`messages` holds the action\'s `ChangeEntry` messages, and the schema allows no other fields)\n'
      + '  expected: fields declared there: category, line, sha\n'
      + '  hint: did you mean `category`?\n');
    expect(result.stdout).toContain('1 error, 0 warnings');
  });

  it('the same in Handlebars (`{{#each messages}}{{payload.categroy}}`)', async () => {
    const result = await validate(edited('kind: SOP\n', 'kind: SOP\nsettings: { templates: handlebars }\n')
      .replace('{% for m in messages %}- [{{ m.payload.category }}] {{ m.payload.line }}\n          {% endfor %}', '{{#each messages}}- [{{ payload.categroy }}] {{ payload.line }}\n          {{/each}}'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('error TEMPLATE_VARIABLE_UNKNOWN: `categroy`: a message of `messages`, which this template loops over, has no field `categroy` in its payload');
    expect(result.stdout).toContain('  hint: did you mean `category`?\n');
  });

  it('`prompt: { inline: ... }` (a template written in place, as a mapping): one error whose hint writes `prompt: |`, not "add `file:`" and "remove it", which would lose the text', async () => {
    const result = await validate(edited('        prompt: "Revise the notes."', '        prompt:\n          inline: |\n            Revise the notes.'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('notes.yaml:59:11: error SCHEMA_UNKNOWN_FIELD: unknown field `inline`\n'
      + '  expected: one of: file\n'
      + '  hint: a template written in the SOP is the value itself, not a mapping: write `prompt: |` (or `template: |`) with the text on the lines below, indented, instead of `{ inline: ... }`; `{ file: path }` reads it from a file beside the SOP\n');
    expect(result.stdout).not.toContain('SCHEMA_MISSING_FIELD');
    expect(result.stdout).toContain('1 error, 0 warnings');
    // Following the hint gives the valid SOP.
    const followed = await validate(edited('        prompt: "Revise the notes."', '        prompt: |\n          Revise the notes.'));
    expect(followed.code, followed.stdout).toBe(0);
  });

  it('an artifact\'s `template: { text: ... }`: the same hint', async () => {
    const result = await validate(edited('artifacts: [{ path: RELEASE_NOTES.md }]', 'artifacts: [{ path: RELEASE_NOTES.md, template: { text: "{{ output }}" } }]'));
    expect(result.code, result.stdout).toBe(3);
    expect(result.stdout).toContain('error SCHEMA_UNKNOWN_FIELD: unknown field `text`\n  expected: one of: file\n  hint: a template written in the SOP is the value itself, not a mapping: write `prompt: |` (or `template: |`)');
    expect(result.stdout).toContain('1 error, 0 warnings');
  });

  it('the git log given as the IDEA to an SOP whose one required input is a file: the hint names the file\'s path (`@`), and for the log\'s text says a file input takes a path, not a command that fails', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'notes.yaml'), edited('kind: SOP\n', 'kind: SOP\ninputs:\n  log: { type: file, description: the git log }\n').replace('content: "{{ inputs.idea }}"', 'content: "{{ inputs.log }}"'));
    writeFileSync(path.join(cwd, 'gitlog.txt'), 'a1b2c3d Add --json flag\nb2c3d4e Fix a crash\n');
    const byPath = await sop(['run', 'notes.yaml', 'gitlog.txt'], { cwd });
    expect(byPath.code, byPath.stderr).toBe(2);
    expect(byPath.stderr).toContain('error USAGE: an IDEA was given but this SOP has no `idea` input\n'
      + `  hint: give it as its input \`log\`: sop run notes.yaml --input log=@gitlog.txt\n`);
    const byText = await sop(['run', 'notes.yaml', 'a1b2c3d Add --json flag\nb2c3d4e Fix a crash'], { cwd });
    expect(byText.code, byText.stderr).toBe(2);
    expect(byText.stderr).toContain(`  hint: \`log\` is a file input, which takes a file's path, not its text: save the text to a file and give its path: sop run notes.yaml --input log=<file>\n`);
    expect(byText.stderr).not.toContain('Fix a crash');
    // The command the first hint gives runs.
    const followed = await sop(['run', 'notes.yaml', '--input', 'log=@gitlog.txt'], { cwd });
    expect(followed.stderr).toContain('awaiting approval: gate publish');
    expect(followed.code, followed.stderr).toBe(8);
  });

  it('a test case\'s file input naming a file that is not there (`"@../gitlg.txt"`): refused before any case runs, at the value, with the file meant; `sop validate` of the test file says so too', async () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, 'sop'));
    writeFileSync(path.join(cwd, 'sop', 'notes.yaml'), edited('kind: SOP\n', 'kind: SOP\ninputs:\n  log: { type: file, description: the git log }\n').replace('content: "{{ inputs.idea }}"', 'content: "{{ inputs.log }}"'));
    writeFileSync(path.join(cwd, 'gitlog.txt'), 'a1b2c3d Add --json flag\n');
    writeFileSync(path.join(cwd, 'sop', 'notes.test.yaml'), [
      'apiVersion: sop-test/v1',
      'defaults:',
      '  inputs: { log: "@../gitlg.txt" }',
      'cases:',
      '  - name: awaits the person',
      '    expect: { status: awaiting_approval }',
      '  - name: awaits the person again',
      '    expect: { status: awaiting_approval }',
      '',
    ].join('\n'));
    const located = 'sop/notes.test.yaml:3:18: error INPUT_FILE_INVALID: file input "log": cannot read ' + path.join(cwd, 'gitlg.txt') + ': no such file\n'
      + '  expected: a file\'s path, relative to the test file\n'
      + '  hint: did you mean `"@../gitlog.txt"`?\n';
    const validated = await sop(['validate', 'sop/notes.test.yaml'], { cwd });
    expect(validated.code, validated.stdout).toBe(2);
    expect(validated.stdout).toContain(located);
    const tested = await sop(['test', 'sop/notes.yaml'], { cwd });
    expect(tested.code, tested.stderr).toBe(2);
    expect(tested.stderr).toContain(located);
    expect(`${tested.stdout}${tested.stderr}`).not.toContain('expect.status');
    // Fixed as the hint says, both cases run and pass.
    writeFileSync(path.join(cwd, 'sop', 'notes.test.yaml'), readFileSync(path.join(cwd, 'sop', 'notes.test.yaml'), 'utf8').replace('gitlg.txt', 'gitlog.txt'));
    const fixed = await sop(['test', 'sop/notes.yaml'], { cwd });
    expect(fixed.stdout).toContain('2 passed, 0 failed');
    expect(fixed.code, fixed.stdout).toBe(0);
  });
});
