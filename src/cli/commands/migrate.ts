import { Args, Flags } from '@oclif/core';
import { SopError } from '../../errors/index.js';
import { writeFileAtomicSync } from '../../files/index.js';
import { SopCommand } from '../base-command.js';
import { quoteArgument } from '../../runtime/shell-argument.js';

/** `sop migrate --json`'s result. `text` is the upgraded SOP when it was not written (no --write). */
export interface MigrateResult {
  file: string;
  from: string;
  to: string;
  steps: Array<{ from: string; to: string; description: string }>;
  written: boolean;
  text?: string;
}

export default class Migrate extends SopCommand<MigrateResult> {
  static override summary = 'Upgrade an SOP written for an older apiVersion to the newest one this runner reads.';
  static override description = [
    'Without --write, prints the upgraded SOP on stdout and changes nothing; with --write, rewrites the file (comments kept).',
    'A file already at the newest version is left alone (exit 0); an apiVersion this runner does not know is refused (exit 3) with the list of supported ones.',
  ].join('\n\n');
  static override examples = ['<%= config.bin %> migrate my.yaml', '<%= config.bin %> migrate my.yaml --write'];
  static override args = {
    file: Args.string({ description: 'SOP file.', required: true }),
  };
  static override flags = {
    write: Flags.boolean({ description: 'Rewrite the file in place instead of printing the result.' }),
  };

  async run(): Promise<MigrateResult> {
    const { args, flags } = await this.parse(Migrate);
    const { formatBytes, LIMITS, sizeAbove } = await import('../../spec/index.js');
    const { readCappedSync, unreadableFile } = await import('../../spec/limits.js');
    const { decodeUtf8Text } = await import('../../spec/text-encoding.js');
    const size = sizeAbove(args.file, LIMITS.sopBytes);
    if (size !== undefined) {
      throw new SopError('FILE_TOO_LARGE', `${args.file} is ${formatBytes(size)}; an SOP file is at most ${formatBytes(LIMITS.sopBytes)}`, { hint: 'give the path of an SOP file (.yaml)' });
    }
    let text: string;
    let bom = '';
    try {
      const read = readCappedSync(args.file, LIMITS.sopBytes);
      if (read === 'too-large') throw new SopError('FILE_TOO_LARGE', `${args.file} is endless or more than ${formatBytes(LIMITS.sopBytes)}; an SOP file is at most that`, { hint: 'give the path of an SOP file (.yaml)' });
      // The same checks as every other command that reads an SOP: binary data and bytes that are not
      // UTF-8 are refused (exit 2, located), not read as U+FFFD and written back over the file.
      const decoded = decodeUtf8Text(read);
      if (!decoded.ok) {
        const { message, hint, line, column } = decoded.problem;
        throw SopError.fromDiagnostics([{ code: 'FILE_UNREADABLE', severity: 'error', file: args.file, message: `cannot read ${args.file}: ${message}`, hint, ...(line !== undefined ? { line, column } : {}) }]);
      }
      text = decoded.text;
      bom = read[0] === 0xef && read[1] === 0xbb && read[2] === 0xbf ? '\uFEFF' : '';
    } catch (error) {
      if (error instanceof SopError) throw error;
      const { code, why } = unreadableFile(error);
      throw new SopError(code, code === 'FILE_NOT_FOUND' ? `no such file: ${args.file}` : `cannot read ${args.file}: ${why}`, {
        hint: 'check the path (relative paths start from the current folder)',
      });
    }
    const { migrateSopText } = await import('../../lock/index.js');
    const result = migrateSopText(text, args.file);
    if (result.steps.length === 0) {
      this.note(`${args.file}: already ${result.to}, nothing to do`);
      return { file: args.file, from: result.from, to: result.to, steps: [], written: false };
    }
    const summary = { file: args.file, from: result.from, to: result.to, steps: result.steps.map(({ from, to, description }) => ({ from, to, description })) };
    const steps = result.steps.map((step) => `${step.from} → ${step.to}: ${step.description}`);
    if (!flags.write) {
      this.out(result.text);
      this.note([`${args.file}: would upgrade ${result.from} → ${result.to} (not written; pass --write to update the file)`, ...steps.map((step) => `  ${step}`)].join('\n'));
      return { ...summary, written: false, text: result.text };
    }
    // A symlinked SOP stays a link (its target is rewritten) and keeps its mode.
    writeFileAtomicSync(args.file, bom + result.text);
    this.note([`${args.file}: upgraded ${result.from} → ${result.to}`, ...steps.map((step) => `  ${step}`), `check it with \`${this.sopCommand} validate ${quoteArgument(args.file)}\`, and run \`${this.sopCommand} lock ${quoteArgument(args.file)}\` again if the SOP is pinned`].join('\n'));
    return { ...summary, written: true };
  }
}
