import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './run-cli.js';

/**
 * A newcomer's SOP, `blog.yaml`: an editor writes a post behind a human gate `publish` (editor
 * edit). Nobody is asked in `sop eval` or `sop test`, so every run pauses there. With `artifact`
 * the post is also written to post.md, a draft nobody approved.
 */
export function blogSop({ artifact }: { artifact: boolean }): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: blog, version: 0.1.0 }
inputs:
  topic: { description: what to write about }
messages:
  Topic: { description: the topic }
  Post: { description: the post }
start: [{ type: Topic, content: "{{ inputs.topic }}" }]
roles:
  editor:
    profile: Editor
    watch: [Topic]
    actions:
      - id: edit
        prompt: "Write a post about {{ message.content }}."
        output: { type: Post, format: markdown }
${artifact ? '        artifacts: [{ path: post.md }]\n' : ''}        gates:
          - { name: publish, human: { prompt: Publish this post? } }
stop_when: { type: Post }
`;
}

/** A fresh project folder holding that SOP as blog.yaml and `files` (name: text) beside it. */
export function blogProject(files: Record<string, string>, { artifact = true }: { artifact?: boolean } = {}): string {
  const dir = tempDir('sop-blog-gate-');
  writeFileSync(path.join(dir, 'blog.yaml'), blogSop({ artifact }));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
