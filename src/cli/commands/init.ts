import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import { shownPath } from '../../files/shown-path.js';
import { quoteArgument } from '../../runtime/shell-argument.js';
import { SopCommand } from '../base-command.js';
import { sopCommandWord } from '../invocation.js';

/** `sop init --json`'s result: the folder written to and the files created in it. */
export interface InitResult {
  dir: string;
  files: string[];
}

export default class Init extends SopCommand<InitResult> {
  static override summary = 'Scaffold a small working SOP (writer -> reviewer) to start from.';
  static override description = `Writes sop.yaml, prompts/*.liquid, schemas/review.json and sop.test.yaml (its tests, for sop test). The first line of sop.yaml points editors at the format's schema on disk: the installed one when the folder is inside the project that installed sop-runner, otherwise a copy written beside it (sop.v1.schema.json); sop.test.yaml's points at the test format's the same way (sop-test.v1.schema.json). Refuses to overwrite existing files unless --force.`;
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init my-sop --name blog-writer'];
  static override args = {
    dir: Args.string({ description: 'Folder to write into (created if missing).', default: '.' }),
  };
  static override flags = {
    name: Flags.string({ description: 'metadata.name of the SOP (default: from the folder name).' }),
    force: Flags.boolean({ description: 'Overwrite existing files.' }),
  };

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(Init);
    const { scaffoldSop } = await import('../init/scaffold.js');
    const result = await scaffoldSop(args.dir, {
      ...(flags.name !== undefined ? { name: flags.name } : {}),
      force: flags.force,
    });
    const shown = shownPath(result.dir);
    for (const file of result.files) this.out(`created ${path.join(shown, file)}`);
    const sopFile = path.join(shown, 'sop.yaml');
    // Quoted for a shell as every hint is: double quotes would still expand a `$` or a backquote in the folder's name.
    const quoted = quoteArgument(sopFile);
    // Typed as this user started sop: after `npx sop init`, a bare `sop` is not on their PATH.
    const sop = sopCommandWord();
    this.out(`\nNext:\n  ${sop} validate ${quoted}\n  ${sop} run ${quoted} "a short text about tidal power"\n  ${sop} test ${quoted}`);
    return { dir: result.dir, files: result.files };
  }
}
