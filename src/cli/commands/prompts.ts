import { Flags } from '@oclif/core';
import { SopCommand } from '../base-command.js';
import type { PromptsResult } from '../prompt-listing.js';
import { previewFlags } from '../prompt-preview.js';
import { inputFlag, roundLimitFlag, runFlags, sopFileAndIdeaArgs } from '../run-flags.js';

export default class Prompts extends SopCommand<PromptsResult> {
  /** `--topic x`, `--idea x`: an input typed as a flag is hinted the command with `--input topic=x`. */
  protected override async flagsMeantAsInputs(unknown: string[]): Promise<string | undefined> {
    return (await import('../run-inputs.js')).sopInputsMeantByFlags('sop prompts', this.argv, unknown);
  }

  static override summary = 'Print every prompt of a whole run, answered offline: see what each role is asked (also `sop run --dry-run`).';
  static override description = [
    'Runs the SOP as `sop run` would, but every model call is answered by the built-in offline model, or by the script of `--model script:FILE`: no provider is called, no key is needed. Each call is printed in call order with its round, role, action, item, kind (output, revision, reask, tool-results, judge, react-choice, plan), attempt and the model a run would use (--model, the SOP\'s, the configuration\'s), then its messages (system, user, and the assistant turns, tool results and re-asks that follow). Secrets are masked.',
    'Nothing is left behind: the run record and the workspace are throwaway folders, removed at the end, unless --workspace DIR is given (then the preview writes there, as a run would; with --inc it works on a throwaway copy of DIR and leaves the project as it is). Commands, command gates and built-in tools run in that workspace, and MCP servers are started, as in a run, so the prompts are those a run would send (a failing test\'s output in a revision prompt); human gates the script does not decide are approved.',
    'The exit code is the one the previewed run would end with (0 when it completes).',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> prompts sops/software-company.yaml "a todo app"',
    '<%= config.bin %> prompts sops/software-company.yaml "a todo app" --role architect --max-chars 400',
    '<%= config.bin %> prompts sops/software-company.yaml "a todo app" --model script:answers.yaml --json',
    '<%= config.bin %> run sops/software-company.yaml "a todo app" --dry-run',
  ];
  static override args = sopFileAndIdeaArgs;
  static override flags = {
    input: inputFlag,
    inc: Flags.boolean({ description: 'Incremental mode on the project in --workspace (previewed on a throwaway copy: the project is left as it is).' }),
    model: runFlags.model,
    provider: runFlags.provider,
    workspace: Flags.string({ description: 'Folder the previewed run writes to, kept (default: a throwaway folder).' }),
    'n-round': roundLimitFlag('Most rounds in all (overrides settings.n_round).'),
    ...previewFlags,
  };

  async run(): Promise<PromptsResult> {
    const { args, flags } = await this.parse(Prompts);
    const { previewPrompts, previewRequest } = await import('../prompt-preview.js');
    return previewPrompts(this.io(), previewRequest(args, flags));
  }
}
