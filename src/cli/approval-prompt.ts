import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { isSopError } from '../errors/index.js';
import { makeTemporaryFolder } from '../files/index.js';
import { shownPath } from '../files/shown-path.js';
import type { ApprovalDecision, ApprovalRequest, Approver } from '../runtime/index.js';
import { sopCommandWord } from './invocation.js';

const PREVIEW_LINES = 30;

/**
 * Asks about human gates on the terminal: approve, reject with feedback, or edit in
 * `$VISUAL`/`$EDITOR`. One question at a time, even when roles run concurrently; answers typed
 * ahead are kept. End of input (Ctrl+D) gives no decision: the run stops awaiting approval.
 * `beforeAsk` clears the live progress line so the question stays readable. Once `signal` aborts
 * (the first Ctrl-C), a question being asked and every later one get no decision at once: the run
 * stops as interrupted instead of waiting for an answer nobody will type. The files to review are
 * named from the current folder (they are in `workspace`), where the reader opens them.
 */
export function terminalApprover(beforeAsk: () => void, signal: AbortSignal | undefined, workspace: string): { approve: Approver; close: () => void } {
  let readline: Interface | undefined;
  let lines: AsyncIterator<string> | undefined;
  const interrupted = new Promise<undefined>((resolve) => {
    if (signal?.aborted) resolve(undefined);
    signal?.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  const answer = async (question: string): Promise<string | undefined> => {
    if (signal?.aborted) return undefined;
    readline ??= createInterface({ input: process.stdin, terminal: false });
    lines ??= readline[Symbol.asyncIterator]();
    process.stderr.write(question);
    const next = await Promise.race([lines.next(), interrupted]);
    return next === undefined || next.done ? undefined : String(next.value).trim();
  };
  let queue: Promise<unknown> = Promise.resolve();
  const approve: Approver = (request) => {
    const decided = queue.then(() => {
      if (signal?.aborted) return undefined;
      beforeAsk();
      return ask(request, answer, workspace);
    });
    queue = decided.catch(() => undefined);
    return decided;
  };
  return { approve, close: () => readline?.close() };
}

async function ask(request: ApprovalRequest, answer: (question: string) => Promise<string | undefined>, workspace: string): Promise<ApprovalDecision | undefined> {
  const out = process.stderr;
  const lines = request.output.split('\n');
  out.write(`\n── approval: gate ${request.gate} (role ${request.role}, action ${request.action}${request.index === undefined ? '' : ` #${request.index}`}) ──\n`);
  out.write(`${request.prompt}\n`);
  if (request.artifacts.length > 0) out.write(`files: ${request.artifacts.map((file) => shownPath(path.join(workspace, file))).join(', ')}\n`);
  out.write(`${lines.slice(0, PREVIEW_LINES).join('\n')}\n${lines.length > PREVIEW_LINES ? `... (${lines.length - PREVIEW_LINES} more lines)\n` : ''}`);
  for (;;) {
    const choice = (await answer('[a]pprove, [r]eject with feedback, [e]dit? '))?.toLowerCase();
    if (choice === undefined) return undefined;
    if (choice === 'a' || choice === 'approve') return { kind: 'approve' };
    if (choice === 'r' || choice === 'reject') {
      const feedback = await answer('what should change? ');
      if (feedback === undefined) return undefined;
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
}

/**
 * The output edited in the user's editor; undefined (with a note) when no editor is set, no
 * temporary folder can be made or the editor failed: the question is asked again.
 */
export function editInEditor(request: Pick<ApprovalRequest, 'action' | 'format' | 'output'>): string | undefined {
  const editor = process.env['VISUAL'] || process.env['EDITOR'];
  if (!editor) {
    process.stderr.write(`set $VISUAL or $EDITOR to edit, or save a file and use \`${sopCommandWord()} resume RUN --edit FILE\`\n`);
    return undefined;
  }
  let folder: string;
  try {
    folder = makeTemporaryFolder('sop-edit');
  } catch (error) {
    if (!isSopError(error)) throw error;
    process.stderr.write(`cannot edit: ${error.message}\n`);
    return undefined;
  }
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
