import { isWithin, joinPointer } from '../pointer.js';
import { isObject, joinAnd, listFields, misspeltExample, openObjects } from './open-objects.js';
import type { RuleContext } from './rule-context.js';

/**
 * TOOL_PARAMETERS_OPEN (warning): a declared tool's arguments are validated against its
 * `parameters` before it runs, but an object there with `properties` and neither
 * `additionalProperties` nor a `required` listing every property accepts a misspelt argument:
 * `{"lnies": 5}` is valid against `properties: { lines }`, the tool runs without `lines`, and the
 * model is never told. The same objects count as for PAYLOAD_SCHEMA_OPEN (its own code: these are
 * arguments a model sends, not a payload, and the schema is sent to the provider as written).
 */
export function openToolParameters(context: RuleContext): void {
  for (const [name, tool] of Object.entries(context.document.tools ?? {})) {
    const parameters = tool.parameters;
    if (!isObject(parameters)) continue;
    const base = joinPointer('/tools', name, 'parameters');
    // An invalid schema (or one not describing an object) is reported as such; this would be noise beside it.
    if (context.sink.diagnostics.some((diagnostic) => diagnostic.severity === 'error' && isWithin(diagnostic.pointer ?? '', base))) continue;
    const open = openObjects(parameters);
    const first = open[0];
    if (!first) continue;
    const fields = open.flatMap((object) => object.optional);
    const places = open.map((object) => (object.place === '' ? 'the arguments' : `\`${object.place}\``));
    const subject = places.length > 1
      ? `${joinAnd(places)} accept arguments they do not declare`
      : `${first.place === '' ? 'it' : places[0]} accepts ${first.place === '' ? 'arguments' : 'fields'} it does not declare`;
    context.sink.warning('TOOL_PARAMETERS_OPEN', `${base}${first.inner}/properties`,
      `the parameters of tool \`${name}\` let a misspelt argument through: ${subject}, and ${listFields(fields)} ${fields.length === 1 ? 'is' : 'are'} optional, ` +
        `so ${misspeltExample(fields[0]!, 'a call with')} passes validation and the tool runs without it`, {
        at: 'key',
        expected: `\`additionalProperties: false\` (or a \`required\` listing every property) beside the \`properties\` of ${joinAnd(places)}`,
        hint: 'add `additionalProperties: false`: a call with an argument the schema does not declare is then refused and the model told why ' +
          '(strict function calling, such as OpenAI\'s, asks for it too); or list the arguments under `required`. Write `additionalProperties: true` to accept other arguments on purpose',
      });
  }
}
