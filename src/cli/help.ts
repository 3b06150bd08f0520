import { format } from 'node:util';
import { CommandHelp, Help } from '@oclif/core';
import { EXIT_CODE_TABLE } from '../errors/index.js';

/** A line copied as it is into a file (an editor's schema modeline): broken in two, it no longer works. */
const VERBATIM_LINE = /^# yaml-language-server: /;

/** oclif's command help, except that verbatim lines are never wrapped, whatever the terminal width. */
class SopCommandHelp extends CommandHelp {
  override wrap(body: string, spacing?: number): string {
    return body
      .split('\n')
      .map((line) => (VERBATIM_LINE.test(line) ? line : super.wrap(line, spacing)))
      .join('\n');
  }
}

/** oclif's help plus the exit-code table on `sop --help`, since scripts and CI branch on them. */
export default class SopHelp extends Help {
  protected override CommandHelpClass = SopCommandHelp;

  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp();
    this.log(formatExitCodes());
    this.log('');
  }

  /**
   * Written to the stream itself, not through `console.log` (oclif's way): Node's console asks the
   * stream whether to colour, and with both `FORCE_COLOR` and `NO_COLOR` set (a CI image forcing
   * colours, a user turning them off) that prints a Node warning on stderr under every help.
   */
  protected override log(...args: string[]): void {
    (this.opts.sendToStderr ? process.stderr : process.stdout).write(`${format(...args)}\n`);
  }
}

function formatExitCodes(): string {
  const width = Math.max(...EXIT_CODE_TABLE.map(([code]) => String(code).length));
  const rows = EXIT_CODE_TABLE.map(([code, meaning]) => `  ${String(code).padStart(width)}  ${meaning}`);
  return ['EXIT CODES', ...rows].join('\n');
}
