/**
 * The files `sop init` writes: a two-role SOP (writer -> reviewer) that validates with no warnings
 * and runs on the offline model, and its test file (`sop test`), whose cases pass. Kept as plain strings so the scaffold needs no file lookup.
 */

/**
 * `schemaRef` is what the modeline points editors at: a path relative to sop.yaml, so the YAML
 * language server loads the schema from disk with no network (see `schemaReference`).
 */
export function sopYaml(name: string, schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}
# Run it:  sop run sop.yaml "a short text about tidal power"
apiVersion: sop/v1
kind: SOP
metadata:
  name: ${name}
  version: 0.1.0
  description: A writer drafts a short text about an idea; a reviewer checks it.
  requires: ">=0.1 <1"

settings:
  n_round: 4

messages:
  Idea:
    description: The idea to write about, as given on the command line
  Draft:
    description: A short Markdown text about the idea
  Review:
    description: The reviewer's verdict on the draft
    schema:
      $ref: schemas/review.json

start:
  - type: Idea
    content: "{{ inputs.idea }}"

roles:
  writer:
    profile: Writer
    goal: Write a clear, short text about the idea
    watch: [Idea]
    actions:
      - id: write_draft
        prompt:
          file: prompts/write_draft.liquid
        output:
          type: Draft
          format: markdown
        artifacts:
          - path: draft.md

  reviewer:
    profile: Reviewer
    goal: Check that the draft is clear and on topic
    watch: [Draft]
    actions:
      - id: review_draft
        prompt:
          file: prompts/review_draft.liquid
        output:
          type: Review
          format: json
        artifacts:
          - path: review.json

stop_when:
  type: Review
`;
}

export const WRITE_DRAFT_PROMPT = `Write a short Markdown text about this idea: a title, then two or three short paragraphs.

Idea: {{ message.content }}
`;

export const REVIEW_DRAFT_PROMPT = `Review the draft below, written about the idea "{{ inputs.idea }}".
Say whether it is clear and on topic (approved), sum it up in one sentence, and list its issues
(an empty list when there are none).

{{ message.content }}
`;

export const REVIEW_SCHEMA = `${JSON.stringify(
  {
    title: 'Review',
    description: "The reviewer's verdict on a draft.",
    type: 'object',
    additionalProperties: false,
    required: ['approved', 'summary', 'issues'],
    properties: {
      approved: { type: 'boolean', description: 'True when the draft is clear and on topic.' },
      summary: { type: 'string', description: 'The verdict in one sentence.' },
      issues: { type: 'array', items: { type: 'string' }, description: 'What to fix; empty when nothing.' },
    },
  },
  null,
  2,
)}\n`;

/**
 * `sop.test.yaml` beside the scaffolded sop.yaml: both of the reviewer's verdicts, scripted
 * (docs/testing.md). `schemaRef` is the sop-test schema's path for the modeline, as sop.yaml's is.
 */
export function sopTestYaml(schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}
# Test it:  sop test sop.yaml   (each case scripts the answers, then checks the run: docs/testing.md)
apiVersion: sop-test/v1
defaults:
  inputs: { idea: tidal power }
  answers:
    - role: writer
      action: write_draft
      output: |
        # Tidal power

        The sea rises and falls twice a day; turbines turn that motion into electricity.
cases:
  - name: the reviewer approves the draft
    answers:
      - { role: reviewer, action: review_draft, output: { approved: true, summary: Clear and on topic., issues: [] } }
    expect:
      status: completed
      path:
        - { role: writer, action: write_draft, round: 1 }
        - { role: reviewer, action: review_draft, round: 2 }
      messages:
        - { type: Review, count: 1, where: payload.approved }
      artifacts:
        - { path: draft.md, contains: "# Tidal power" }
        - { path: review.json, where: json.approved }

  - name: the reviewer lists what to fix
    answers:
      - { role: reviewer, action: review_draft, output: { approved: false, summary: Too short., issues: [add a paragraph on costs] } }
    expect:
      status: completed
      messages:
        - { type: Review, where: "!payload.approved && size(payload.issues) == 1" }
`;
}
