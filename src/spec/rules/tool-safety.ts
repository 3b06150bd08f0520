import { fromPointer, joinPointer } from '../pointer.js';
import type { RuleContext, TemplateSite } from './rule-context.js';

/** Shells: the programs that read `$NAME` in their code (`sh -c '... $TOKEN'`). */
const SHELLS = ['sh', 'bash', 'zsh', 'dash', 'ksh', 'csh', 'tcsh', 'fish'];

/** Programs that run other programs: allowing one lets the model run anything. */
const RUNS_ANYTHING = [
  ...SHELLS, 'busybox', 'env', 'xargs', 'sudo', 'su', 'doas', 'pkexec', 'runuser',
  'nohup', 'timeout', 'nice', 'ionice', 'chrt', 'taskset', 'setsid', 'stdbuf', 'time', 'watch', 'flock', 'chroot', 'parallel',
  'exec', 'eval', 'command', 'builtin',
];

/** Flags after which the next argv entry is program code, per interpreter. */
const SHELL_CODE = /^-[A-Za-z]*c[A-Za-z]*$/;
const CODE_FLAGS: Record<string, RegExp> = {
  ...Object.fromEntries(SHELLS.map((shell) => [shell, SHELL_CODE])),
  python: /^-[A-Za-z]*c$/,
  python3: /^-[A-Za-z]*c$/,
  node: /^(-e|--eval|-p|--print)$/,
  perl: /^-[A-Za-z]*[eE]$/,
  ruby: /^-[A-Za-z]*e$/,
  php: /^-r$/,
};

/** Variables whose values a model wrote (the others come from the user or the run). */
const MODEL_WRITTEN = new Set(['args', 'output', 'payload', 'message', 'messages', 'memory', 'item', 'files', 'feedback', 'previous_output']);

/**
 * TOOL_UNSAFE (warnings): an allow-list entry that defeats the allow-list, and a command whose
 * program or interpreter code (`sh -c`, `python3 -c`, `node -e`, ...) is a template over text a
 * model wrote, which turns the model's text into a command.
 */
export function toolSafety(context: RuleContext): void {
  (context.document.settings?.tools?.shell?.allow ?? []).forEach((program, index) => {
    if (!RUNS_ANYTHING.includes(program)) return;
    context.sink.warning('TOOL_UNSAFE', joinPointer('/settings', 'tools', 'shell', 'allow', index), `allowing \`${program}\` lets the model run any command`, {
      hint: 'allow the programs the task needs (python3, node, ...) instead: `shell` runs argv without a shell, so a runner is the only way out',
    });
  });
  for (const site of context.templates()) {
    if (site.place !== 'tool' && site.place !== 'command' && site.place !== 'gate-command') continue;
    const argv = argvOf(context, site);
    if (!argv || !readsModelText(site)) continue;
    const program = argv.entries[0];
    if (argv.index === 0) {
      warn(context, site, 'the program to run is chosen by text a model wrote', 'write the program literally and pass the model\'s text as an argument');
      continue;
    }
    const codeFlag = program === undefined ? undefined : CODE_FLAGS[baseName(program)];
    if (codeFlag && argv.index >= 2 && codeFlag.test(argv.entries[argv.index - 1] ?? '')) {
      warn(context, site, `text a model wrote becomes ${baseName(program!)} code here`, 'give it its own argv entry after the code and read it there (`[sh, -c, \'grep -- "$1" notes.md\', sh, "{{ args.text }}"]`; `sys.argv[1]`, `process.argv[1]`): an argv entry stays data');
    }
  }
  argvExpressions(context);
}

/**
 * A command written as CEL (`command: vars.test_command[payload.language]`) whose list is built from
 * text a model wrote, rather than picked from the SOP's `vars`, lets the model choose the program.
 */
function argvExpressions(context: RuleContext): void {
  for (const site of context.expressions()) {
    if (site.place !== 'command-argv' && site.place !== 'gate-argv') continue;
    const readsModel = (site.compiled?.variables() ?? []).some(([root]) => root !== undefined && MODEL_WRITTEN.has(root));
    if (!readsModel || /^\s*vars\s*\./.test(site.expression.source)) continue;
    context.sink.warning('TOOL_UNSAFE', site.expression.origin.pointer, 'the program to run is chosen by text a model wrote', {
      hint: 'pick the argv from the SOP\'s own values, with the model\'s text only as the key: `vars.test_command[payload.language]`',
    });
  }
}

function warn(context: RuleContext, site: TemplateSite, message: string, hint: string): void {
  context.sink.warning('TOOL_UNSAFE', site.template.origin.pointer, message, { hint });
}

/** The argv a template is an entry of (`…/command/<index>`), when it is one. */
function argvOf(context: RuleContext, site: TemplateSite): { entries: string[]; index: number } | undefined {
  const segments = fromPointer(site.template.origin.pointer);
  const index = Number(segments.pop());
  if (segments.pop() !== 'command' || !Number.isInteger(index)) return undefined;
  let node: unknown = context.document;
  for (const segment of [...segments, 'command']) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  return Array.isArray(node) ? { entries: node.map(String), index } : undefined;
}

function readsModelText(site: TemplateSite): boolean {
  return (site.compiled?.variables() ?? []).some(([root]) => root !== undefined && MODEL_WRITTEN.has(root));
}

/** `sh`, `/bin/bash`, ...: a program that expands `$NAME` itself. */
export function isShell(program: string): boolean {
  return SHELLS.includes(baseName(program));
}

function baseName(program: string): string {
  return program.slice(program.lastIndexOf('/') + 1);
}
