/**
 * The fan-out shape (W2): a writer, one reviewer per prompt (each its own role and action, all
 * watching the draft), and an aggregator of every review.
 */
export function fanoutSop(reviewerPrompts: readonly string[]): string {
  const reviewers = reviewerPrompts.map(
    (prompt, i) => `  reviewer_${i + 1}:\n    profile: Reviewer ${i + 1}\n    watch: [Draft]\n    memory: { policy: none }\n    actions: [{ id: review_${i + 1}, prompt: ${JSON.stringify(prompt)}, output: { type: Review } }]\n`,
  );
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: fanout, version: 1.0.0 }
settings: { n_round: 5, max_concurrency: ${Math.max(1, reviewerPrompts.length)} }
messages:
  UserRequirement: { description: the idea }
  Draft: { description: the draft }
  Review: { description: one review }
  Summary: { description: the reviews together }
start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [UserRequirement]
    actions: [{ id: write, prompt: "Draft: {{ message.content }}", output: { type: Draft } }]
${reviewers.join('')}  aggregator:
    profile: Aggregator
    watch: [Review]
    actions:
      - id: aggregate
        when: { type: Review, batch: true }
        prompt: "Summarize {{ messages | size }} reviews"
        output: { type: Summary }
stop_when: { type: Summary }
`;
}
