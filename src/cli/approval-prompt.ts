import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { ApprovalDecision, ApprovalRequest, Approver } from '../runtime/index.js';

const PREVIEW_LINES = 30;

/**
 * Asks about human gates on the terminal: approve, reject with feedback, or edit in
 * `$VISUAL`/`$EDITOR`. One question at a time, even when roles run concurrently.
 * `beforeAsk` clears the live progress line so the question stays readable.
 */
export function terminalApprover(beforeAsk: () => void): Approver {
  let queue: Promise<unknown> = Promise.resolve();
  return (request) => {
    const answer = queue.then(() => {
      beforeAsk();
      return ask(request);
    });
    queue = answer.catch(() => undefined);
    return answer;
  };
}

async function ask(request: ApprovalRequest): Promise<ApprovalDecision> {
  const out = process.stderr;
  const lines = request.output.split('\n');
  out.write(`\n── approval: gate ${request.gate} (role ${request.role}, action ${request.action}${request.index === undefined ? '' : ` #${request.index}`}) ──\n`);
  out.write(`${request.prompt}\n`);
  if (request.artifacts.length > 0) out.write(`files: ${request.artifacts.join(', ')}\n`);
  out.write(`${lines.slice(0, PREVIEW_LINES).join('\n')}\n${lines.length > PREVIEW_LINES ? `... (${lines.length - PREVIEW_LINES} more lines)\n` : ''}`);
  const readline = createInterface({ input: process.stdin, output: out });
  try {
    for (;;) {
      const choice = (await readline.question('[a]pprove, [r]eject with feedback, [e]dit? ')).trim().toLowerCase();
      if (choice === 'a' || choice === 'approve') return { kind: 'approve' };
      if (choice === 'r' || choice === 'reject') {
        const feedback = (await readline.question('what should change? ')).trim();
        if (feedback !== '') return { kind: 'reject', feedback };
        out.write('a rejection needs feedback: say what to change\n');
        continue;
      }
      if (choice === 'e' || choice === 'edit') {
        const edited = editInEditor(request);
        if (edited !== undefined) return { kind: 'edit', content: edited };
        continue;
      }
      out.write('answer a, r or e\n');
    }
  } finally {
    readline.close();
  }
}

/** The output edited in the user's editor; undefined (with a note) when no editor is set or it failed. */
function editInEditor(request: ApprovalRequest): string | undefined {
  const editor = process.env['VISUAL'] || process.env['EDITOR'];
  if (!editor) {
    process.stderr.write('set $VISUAL or $EDITOR to edit, or save a file and use `sop resume RUN --edit FILE`\n');
    return undefined;
  }
  const folder = mkdtempSync(path.join(tmpdir(), 'sop-edit-'));
  const file = path.join(folder, `${request.action}${request.format === 'json' ? '.json' : request.format === 'markdown' ? '.md' : '.txt'}`);
  try {
    writeFileSync(file, request.output);
    // The editor setting may carry arguments (`code --wait`): split on spaces, never through a shell.
    const [program, ...args] = editor.split(/\s+/).filter(Boolean);
    const result = spawnSync(program as string, [...args, file], { stdio: 'inherit' });
    if (result.status !== 0) {
      process.stderr.write(`the editor exited with ${result.status ?? result.signal}; nothing changed\n`);
      return undefined;
    }
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
