// Generated workloads: SOP texts whose size is a parameter.

const header = (name) => `apiVersion: sop/v1\nkind: SOP\nmetadata: { name: ${name}, version: 1.0.0 }\n`;

/** A chain of `count` roles, each watching the previous one's message type: `count` sequential steps. */
export function chainSop(count) {
  const roles = Array.from({ length: count }, (_, i) => {
    const next = i === count - 1 ? 'Done' : `Step${i + 1}`;
    return `  role_${i}:\n    profile: Role ${i}\n    watch: [${i === 0 ? 'UserRequirement' : `Step${i}`}]\n    actions:\n      - id: act_${i}\n        prompt: "Work on {{ message.content }} for {{ inputs.idea }}"\n        output: { type: ${next} }\n`;
  });
  const messages = ['  UserRequirement: { description: the idea }', '  Done: { description: finished }',
    ...Array.from({ length: count - 1 }, (_, i) => `  Step${i + 1}: { description: step ${i + 1} }`)];
  return `${header('big')}settings: { n_round: ${count + 2} }\nmessages:\n${messages.join('\n')}\nstart: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]\nroles:\n${roles.join('')}stop_when: { type: Done }\n`;
}

/**
 * W1 (bench/workloads/w1-pipeline.yaml) with `count` steps: roles `s1`...`sN` without memory, each
 * refining the step before's output. `pipelineSop(5)` is W1.
 */
export function pipelineSop(count) {
  const steps = Array.from({ length: count }, (_, i) => i + 1);
  const messages = ['  UserRequirement: { description: the idea }', ...steps.map((n) => `  Step${n}: { description: output of step ${n} }`)];
  const roles = steps.map((n) => `  s${n}:\n    profile: Step ${n}\n    watch: [${n === 1 ? 'UserRequirement' : `Step${n - 1}`}]\n    memory: { policy: none }\n    actions: [{ id: step${n}, prompt: "Refine: {{ message.content }}", output: { type: Step${n} } }]\n`);
  return `${header('bench-pipeline')}settings: { n_round: ${count + 5}, max_concurrency: 1 }\nmessages:\n${messages.join('\n')}\nstart: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]\nroles:\n${roles.join('')}stop_when: { type: Step${count} }\n`;
}

/** One writer, `count` reviewers at once, one aggregator of all reviews (W2 with `count` reviewers). */
export function fanoutSop(count) {
  const reviewers = Array.from({ length: count }, (_, i) => `  reviewer_${i + 1}:\n    profile: Reviewer ${i + 1}\n    watch: [Draft]\n    memory: { policy: none }\n    actions: [{ id: review_${i + 1}, prompt: "Review: {{ message.content }}", output: { type: Review } }]\n`);
  return `${header(`fanout-${count}`)}settings: { n_round: 10, max_concurrency: ${count} }
messages:
  UserRequirement: { description: the idea }
  Draft: { description: the draft }
  Review: { description: one review }
  Summary: { description: all reviews aggregated }
start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [UserRequirement]
    memory: { policy: none }
    actions: [{ id: write, prompt: "Draft: {{ message.content }}", output: { type: Draft } }]
${reviewers.join('')}  aggregator:
    profile: Aggregator
    watch: [Review]
    memory: { policy: none }
    actions:
      - id: aggregate
        when: { type: Review, batch: true }
        prompt: "Summarize {{ messages | size }} reviews"
        output: { type: Summary }
stop_when: { type: Summary }
`;
}
