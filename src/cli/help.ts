import { Help } from '@oclif/core';
import { EXIT_CODE_TABLE } from '../errors/index.js';

/** oclif's help plus the exit-code table on `sop --help`, since scripts and CI branch on them. */
export default class SopHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp();
    this.log(formatExitCodes());
    this.log('');
  }
}

export function formatExitCodes(): string {
  const width = Math.max(...EXIT_CODE_TABLE.map(([code]) => String(code).length));
  const rows = EXIT_CODE_TABLE.map(([code, meaning]) => `  ${String(code).padStart(width)}  ${meaning}`);
  return ['EXIT CODES', ...rows].join('\n');
}
