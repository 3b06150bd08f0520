import { joinPointer } from '../pointer.js';
import { DEFAULT_TOOL_SETTINGS } from '../resolve-tools.js';
import { jsonSchemaProblems } from './json-schema-problems.js';
import type { RuleContext } from './rule-context.js';
import { BUILTIN_TOOLS } from './tool-references.js';

/**
 * A declared tool has exactly one of `command` and `http`, a `parameters` schema that compiles and
 * describes an object, a name no built-in tool has, and (HTTP) a URL whose origin is literal.
 */
export function toolDeclarations(context: RuleContext): void {
  for (const [name, tool] of Object.entries(context.document.tools ?? {})) {
    const pointer = joinPointer('/tools', name);
    if ((BUILTIN_TOOLS as readonly string[]).includes(name)) {
      context.sink.error('DUPLICATE_ID', pointer, `tool \`${name}\` has the name of a built-in tool`, {
        at: 'key',
        expected: `a name other than ${BUILTIN_TOOLS.join(', ')}`,
        hint: `rename it (e.g. \`my_${name}\`) and offer it by that name`,
      });
    }
    const kinds = (['command', 'http'] as const).filter((kind) => tool[kind] !== undefined);
    if (kinds.length !== 1) {
      const none = kinds.length === 0;
      context.sink.error(none ? 'SCHEMA_MISSING_FIELD' : 'SCHEMA_VIOLATION', none ? pointer : joinPointer(pointer, 'http'), `tool \`${name}\` ${none ? 'does nothing' : 'has both `command` and `http`'}`, {
        at: 'key',
        expected: 'exactly one of `command` (argv templates over `args`) and `http` (a request template)',
        hint: none ? 'e.g. `command: { command: [wc, -w, "{{ args.path }}"] }`' : 'declare two tools, one per way of doing it',
      });
    }
    if (typeof tool.command?.command === 'string') {
      // A tool's argv would be built from the model's arguments: each entry stays one template.
      context.sink.error('FEATURE_UNSUPPORTED', joinPointer(pointer, 'command', 'command'), `tool \`${name}\`: a declared tool's \`command\` is a list of templates, not an expression`, {
        expected: 'a list: `[program, "{{ args.x }}"]`',
        hint: 'a CEL `command` (a list from `vars`) is for actions and gates; a tool passes the model\'s `args` as argv entries',
      });
    }
    if (tool.http) checkOrigin(context, tool.http.url, joinPointer(pointer, 'http', 'url'));
    for (const kind of ['command', 'http'] as const) cappedTimeout(context, name, tool[kind]?.timeout, joinPointer(pointer, kind, 'timeout'));
    if (tool.parameters !== undefined) checkParameters(context, name, tool.parameters as Record<string, unknown>, joinPointer(pointer, 'parameters'));
  }
}

/** Models send tool arguments as one JSON object: the schema must compile and say `type: object`. */
function checkParameters(context: RuleContext, name: string, parameters: Record<string, unknown>, at: string): void {
  const problems = jsonSchemaProblems(parameters);
  for (const problem of problems) {
    const pointer = at + problem.inner;
    context.sink.error('PAYLOAD_SCHEMA_INVALID', pointer, `invalid parameters schema for tool \`${name}\`${problem.inner ? ` at ${problem.inner}` : ''}: ${problem.detail}`, {
      at: problem.at,
      ...(problem.expected === undefined ? {} : { expected: problem.expected }),
      hint: problem.hint ?? 'parameters are JSON Schema 2020-12 (https://json-schema.org)',
    });
  }
  if (problems.length > 0 || parameters['type'] === 'object') return;
  const written = parameters['type'];
  context.sink.error('SCHEMA_VIOLATION', written === undefined ? at : joinPointer(at, 'type'), `the parameters of tool \`${name}\` must describe an object`, {
    expected: '`type: object` with `properties`',
    hint: `models send tool arguments as one JSON object${written === undefined ? ': add `type: object`' : ''}`,
  });
}

const TEMPLATE_START = /\{\{|\{%/;

/**
 * The schema's pattern keeps `{` out of the origin; this also refuses an origin `new URL` cannot
 * parse, so the runtime's "same origin as declared" check always has an origin to compare with.
 */
function checkOrigin(context: RuleContext, url: string, pointer: string): void {
  const origin = /^https?:\/\/[^/?#]*/.exec(url)?.[0];
  if (origin === undefined) return; // the schema pattern already reported it
  const problem = TEMPLATE_START.test(origin) ? 'a template in the host would let the model choose the server' : parseProblem(origin);
  if (!problem) return;
  context.sink.error('SCHEMA_PATTERN', pointer, `the URL of a tool must start with a literal origin: ${problem}`, {
    expected: '`http(s)://host[:port]` written out, then a path or query that may use `{{ args.X }}`',
    hint: 'e.g. `url: "https://api.github.com/repos/{{ args.repo }}"`',
  });
}

function parseProblem(origin: string): string | undefined {
  try {
    const parsed = new URL(origin);
    return parsed.hostname === '' ? `\`${origin}\` has no host` : undefined;
  } catch {
    return `\`${origin}\` is not a valid origin`;
  }
}

/** A declared tool's call is stopped at the lesser of its `timeout` and `settings.tools.timeout`: a longer one never applies. */
function cappedTimeout(context: RuleContext, name: string, timeout: number | undefined, pointer: string): void {
  const cap = context.document.settings?.tools?.timeout ?? DEFAULT_TOOL_SETTINGS.timeoutSeconds;
  if (timeout === undefined || timeout <= cap) return;
  const written = context.document.settings?.tools?.timeout !== undefined;
  context.sink.warning('TOOL_TIMEOUT_CAPPED', pointer, `tool \`${name}\`: \`timeout: ${timeout}\` never applies: ${written ? '`settings.tools.timeout`' : 'the default `settings.tools.timeout`'} stops every tool call after ${cap} s`, {
    expected: `at most ${cap} s, or a \`settings.tools.timeout\` of at least ${timeout}`,
    hint: `raise \`settings.tools.timeout\` to ${timeout} (it caps every tool), or lower this \`timeout\``,
  });
}
