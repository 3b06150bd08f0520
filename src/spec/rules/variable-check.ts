import { MESSAGE_FIELDS, ROLE_FIELDS, RUN_FIELDS, THREAD_FIELDS } from '../contexts.js';
import { closestMatch, didYouMean, listNames } from '../suggest.js';
import { earlierMessagesHint, memoryFieldProblem, type EarlierMessagesFacts } from './earlier-messages.js';

export interface VariableProblem {
  kind: 'root' | 'input' | 'var' | 'field';
  message: string;
  expected: string;
  hint: string;
}

/** Fields of the objects whose shape is fixed; reading another field is a typo. */
const FIELDS: Record<string, readonly string[]> = { message: MESSAGE_FIELDS, role: ROLE_FIELDS, run: RUN_FIELDS };

/** The names an SOP declares: its inputs and its `vars`. */
export interface DeclaredNames {
  inputs: readonly string[];
  vars: readonly string[];
  /** For the hints on reading earlier messages (`earlier-messages.ts`): the message types, the engine. */
  earlier?: EarlierMessagesFacts;
}

/**
 * Checks one variable path read by a template or expression against what exists there: its root
 * must be one of `roots`, `inputs.X` a declared input, `vars.X` a declared var,
 * `message.X`/`role.X`/`run.X` a known field, `message.thread.X` (`thread.X` where the message's
 * fields are roots) a field of a thread. `inputType`: what an undeclared input's hint declares it as.
 */
export function checkVariable(
  path: readonly string[], roots: readonly string[], declared: DeclaredNames, where: string,
  inputType: 'string' | 'boolean' = 'string',
): VariableProblem | undefined {
  const { inputs, vars } = declared;
  const [root, field] = path;
  if (root === undefined) return undefined;
  if (!roots.includes(root)) {
    return {
      kind: 'root',
      message: `unknown variable \`${root}\` in ${where}`,
      expected: `available in ${where}: ${listNames(roots)}`,
      hint: declaredName(path, roots, declared) ?? earlierMessagesHint(path, roots, declared.earlier) ?? didYouMean(root, roots) ?? fieldOfMessage(path, roots) ?? nearDeclaredName(path, roots, declared) ?? `only ${roots.join(', ')} exist in ${where}`,
    };
  }
  if (field === undefined) return undefined;
  if (root === 'inputs' && !inputs.includes(field)) {
    return {
      kind: 'input',
      message: `input \`${field}\` is not declared`,
      expected: `declared inputs: ${listNames(inputs)}`,
      hint:
        didYouMean(field, inputs) ??
        // The positional argument fills `idea` only: with an `inputs:` block it must name the input it gives.
        (field === 'idea' && inputs.length > 0
          ? `declare it under \`inputs:\`, or let an input take the positional argument with \`aliases: [idea]\` (e.g. \`${inputs[0]}: { aliases: [idea] }\`)`
          : `declare it under \`inputs:\` (e.g. \`${field}: ${inputType === 'boolean' ? '{ type: boolean, default: false }' : '{ type: string }'}\`)`),
    };
  }
  if (root === 'vars' && !vars.includes(field)) {
    return {
      kind: 'var',
      message: `var \`${field}\` is not declared`,
      expected: vars.length === 0 ? 'declared vars: none (this SOP has no `vars:` block)' : `declared vars: ${listNames(vars)}`,
      hint: didYouMean(field, vars) ?? `declare it in the SOP's \`vars:\` block (\`vars: { ${field}: ... }\`), any JSON value`,
    };
  }
  const memoryField = memoryFieldProblem(path, declared.earlier);
  if (memoryField) return { kind: 'field', ...memoryField };
  const fields = FIELDS[root];
  if (fields && !fields.includes(field)) {
    return {
      kind: 'field',
      message: `\`${root}\` has no field \`${field}\``,
      expected: `fields of ${root}: ${listNames(fields)}`,
      hint: didYouMean(field, fields) ?? `use one of ${listNames(fields)}`,
    };
  }
  const [threadPath, threadField] = root === 'thread' ? ['thread', field] : root === 'message' && field === 'thread' ? ['message.thread', path[2]] : [undefined, undefined];
  if (threadPath !== undefined && threadField !== undefined && !(THREAD_FIELDS as readonly string[]).includes(threadField)) {
    return {
      kind: 'field',
      message: `\`${threadPath}\` has no field \`${threadField}\``,
      expected: `fields of ${threadPath}: ${listNames(THREAD_FIELDS)}`,
      hint: didYouMean(threadField, THREAD_FIELDS) ?? `use ${threadPath}.turn (exchanges since the start message) or ${threadPath}.id (the start message's id)`,
    };
  }
  return undefined;
}

/** `{{ ticket }}` where `ticket` is a declared input (or var): they are read under `inputs.` (`vars.`). */
function declaredName(path: readonly string[], roots: readonly string[], declared: DeclaredNames): string | undefined {
  const root = path[0]!;
  const under = declared.inputs.includes(root) ? 'inputs' : declared.vars.includes(root) ? 'vars' : undefined;
  if (under === undefined || !roots.includes(under)) return undefined;
  return `\`${root}\` is ${under === 'inputs' ? 'an input' : 'a var'} of this SOP: write \`${under}.${path.join('.')}\``;
}

/** `{{ audiance }}` for the input `audience`: a misspelt input (or var) also left out its `inputs.` (`vars.`). */
function nearDeclaredName(path: readonly string[], roots: readonly string[], declared: DeclaredNames): string | undefined {
  const root = path[0]!;
  for (const under of ['inputs', 'vars'] as const) {
    const near = roots.includes(under) ? closestMatch(root, declared[under]) : undefined;
    if (near !== undefined) return `did you mean the ${under === 'inputs' ? 'input' : 'var'} \`${near}\`? Write \`${under}.${[near, ...path.slice(1)].join('.')}\``;
  }
  return undefined;
}

/** `payload.title` in a prompt, where the trigger's fields are under `message`: the path that reads it. */
function fieldOfMessage(path: readonly string[], roots: readonly string[]): string | undefined {
  if (!roots.includes('message') || !(MESSAGE_FIELDS as readonly string[]).includes(path[0]!)) return undefined;
  return `\`${path[0]}\` is a field of the message that triggered the action here: write \`message.${path.join('.')}\``;
}

/** `a prompt`, `an artifact`, ... for messages. */
export const PLACE_WORDS: Record<string, string> = {
  start: 'a start message',
  reads: '`reads`',
  prompt: 'a prompt',
  command: 'a command',
  artifact: 'an artifact',
  'gate-command': 'a gate command',
  'human-prompt': '`human.prompt`',
  recipient: '`output.to`',
  tool: 'a declared tool',
  when: '`when.if`',
  'stop-when': '`stop_when.if`',
  foreach: '`foreach`',
  'artifact-foreach': 'an artifact\'s `foreach`',
  'artifact-if': 'an artifact\'s `if`',
  precondition: '`precondition.assert`',
  'gate-assert': 'a gate\'s `assert`',
  'human-enabled': '`human.enabled`',
  'start-if': 'a start message\'s `if`',
  'reads-each': 'a `reads` list (`each`)',
  'command-argv': 'a command',
  'gate-argv': 'a gate command',
};
