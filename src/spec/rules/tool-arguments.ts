import { fromPointer } from '../pointer.js';
import { didYouMean, listNames } from '../suggest.js';
import type { RuleContext } from './rule-context.js';
import { variablePosition } from './rule-context.js';
import { readsForbiddenField } from './template-forbidden-fields.js';

/**
 * TEMPLATE_VARIABLE_UNKNOWN: a declared tool's template reads `args.X` where X is not one of its
 * parameters (a typo would otherwise fail every call of the tool at run time).
 */
export function toolArguments(context: RuleContext): void {
  for (const site of context.templates()) {
    if (site.place !== 'tool' || !site.compiled) continue;
    const name = fromPointer(site.template.origin.pointer)[1] ?? '';
    const parameters = context.sop.tools[name]?.parameters;
    const known = parameters ? closedProperties(parameters) : undefined;
    if (!known) continue;
    const reported = new Set<string>();
    for (const path of site.compiled.variables()) {
      const [root, field] = path;
      if (root !== 'args' || field === undefined || known.includes(field) || reported.has(field) || readsForbiddenField(path)) continue;
      reported.add(field);
      const at = variablePosition(site.template, ['args', field]);
      context.sink.error('TEMPLATE_VARIABLE_UNKNOWN', at.pointer, `tool \`${name}\` has no parameter \`${field}\``, {
        file: at.file,
        position: { line: at.line, column: at.column },
        expected: `parameters of ${name}: ${listNames(known)}`,
        hint: didYouMean(field, known) ?? `declare it under tools.${name}.parameters.properties`,
      });
    }
  }
}

/** The parameter names when the schema lists all of them (no extra, pattern or composed properties). */
function closedProperties(parameters: Record<string, unknown>): string[] | undefined {
  const open = ['patternProperties', 'allOf', 'anyOf', 'oneOf', '$ref', 'if', 'dependentSchemas', 'unevaluatedProperties'].some((key) => key in parameters);
  const extra = parameters['additionalProperties'];
  if (open || (extra !== undefined && extra !== false)) return undefined;
  const properties = parameters['properties'];
  return properties && typeof properties === 'object' ? Object.keys(properties) : [];
}
