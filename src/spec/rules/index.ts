import { STOP_WHEN_RENAMES } from '../foreign-names.js';
import { fromPointer } from '../pointer.js';
import { actionKind } from './action-kind.js';
import { addressesKnown } from './addresses-known.js';
import { artifactContent } from './artifact-content.js';
import { artifactPaths } from './artifact-paths.js';
import { artifactForeachPaths } from './artifact-foreach-paths.js';
import { schemaUnused } from './schema-unused.js';
import { openPayloadSchemas } from './open-payload-schemas.js';
import { openToolParameters } from './open-tool-parameters.js';
import { enumComparisons } from './enum-comparisons.js';
import { envReferences } from './env-references.js';
import { fileReads } from './file-reads.js';
import { expressionSyntax } from './expression-syntax.js';
import { expressionTypes } from './expression-types.js';
import { expressionVariables } from './expression-variables.js';
import { foreachLists } from './foreach-lists.js';
import { formatRequires } from './format-requires.js';
import { gateChecks } from './gate-checks.js';
import { gateKind } from './gate-kind.js';
import { gateSets } from './gate-sets.js';
import { inputConditions } from './input-conditions.js';
import { inputDefaults } from './input-defaults.js';
import { inputRequired } from './input-required.js';
import { fileInputDefaults } from './file-input-defaults.js';
import { inputUses } from './input-uses.js';
import { liquidInHandlebars } from './liquid-in-handlebars.js';
import { templateSingleBrace } from './template-single-brace.js';
import { itemFields } from './item-fields.js';
import { loopBounds } from './loop-bounds.js';
import { mcpServers } from './mcp-servers.js';
import { messageTypesDeclared } from './message-types-declared.js';
import { messagePublished } from './message-published.js';
import { messageWatched } from './message-watched.js';
import { messageTypeUnused } from './message-type-unused.js';
import { payloadFields } from './payload-fields.js';
import { preconditionKind } from './precondition-kind.js';
import { promptEmpty } from './prompt-empty.js';
import { payloadSchemas } from './payload-schemas.js';
import type { Rule } from './rule-context.js';
import { roleReachable } from './role-reachable.js';
import { templateForbiddenFields } from './template-forbidden-fields.js';
import { templateSyntax } from './template-syntax.js';
import { templateVariables } from './template-variables.js';
import { toolArguments } from './tool-arguments.js';
import { toolDeclarations } from './tool-declarations.js';
import { toolReferences } from './tool-references.js';
import { toolSafety } from './tool-safety.js';
import { textPayloads } from './text-payloads.js';
import { uncheckedPayloads } from './unchecked-payloads.js';
import { uniqueActionIds } from './unique-action-ids.js';
import { varsLists } from './vars-lists.js';
import { whenTypes } from './when-types.js';

export { createRuleContext, type Rule } from './rule-context.js';

/**
 * The parts of the SOP a rule reads besides the place it reports on, as pointer patterns (`*`: any
 * one key; a trailing `/**`: anything inside too; without it, only taking out the value itself or
 * what holds it counts). When a schema error took such a part out (see `well-formed-part.ts`), the
 * rule is skipped: its findings would be noise, such as "type not declared" for a message type that
 * was taken out, or Liquid errors in Handlebars templates when `settings.templates` was.
 */
type Needs = readonly string[];
const MESSAGE_FLOW: Needs = ['/messages/*', '/start/**', '/stop_when/**', '/roles/*/watch/**', '/roles/*/actions/*/output/**', '/roles/*/actions/*/when/**', '/roles/*/actions/*/gates/**', '/gates/**', '/messages/*/gates/**'];

/**
 * The semantic rules, run in this order on the schema-valid SOP, or on its well-formed part (then
 * without the rules whose needs were taken out). Each pushes its own diagnostics.
 */
export const RULES: ReadonlyArray<readonly [name: string, rule: Rule, needs?: Needs]> = [
  ['message-types-declared', messageTypesDeclared, ['/messages/*']],
  ['unique-action-ids', uniqueActionIds],
  ['addresses-known', addressesKnown, ['/roles/*']],
  ['action-kind', actionKind],
  ['prompt-empty', promptEmpty],
  ['gate-sets', gateSets],
  ['gate-kind', gateKind],
  ['gate-checks', gateChecks],
  ['tool-references', toolReferences, ['/tools/*', '/mcp_servers/*', '/settings/tools/**']],
  ['tool-declarations', toolDeclarations],
  ['open-tool-parameters', openToolParameters, ['/tools/**']],
  ['mcp-servers', mcpServers],
  ['env-references', envReferences],
  ['tool-safety', toolSafety],
  ['artifact-content', artifactContent],
  ['artifact-paths', artifactPaths],
  ['artifact-foreach-paths', artifactForeachPaths],
  ['input-uses', inputUses, ['/inputs/*']],
  ['input-required', inputRequired, ['/inputs/*']],
  ['input-defaults', inputDefaults, ['/inputs/*']],
  ['file-input-defaults', fileInputDefaults, ['/inputs/*']],
  ['precondition-kind', preconditionKind],
  ['payload-schemas', payloadSchemas],
  // An output's format taken out reads as its default (text): "every action writes `format: text`" of a misspelt `format: jsn`.
  ['schema-unused', schemaUnused, ['/messages/*/schema', '/roles/*/actions/*/output/**']],
  ['open-payload-schemas', openPayloadSchemas, ['/messages/*/schema/**', '/roles/*/actions/*/output/**', '/roles/*/actions/*/run/**', '/roles/*/actions/*/prompt']],
  ['template-syntax', templateSyntax, ['/settings/templates']],
  ['template-variables', templateVariables, ['/settings/templates', '/inputs/*', '/vars/*']],
  ['template-forbidden-fields', templateForbiddenFields, ['/settings/templates']],
  ['liquid-in-handlebars', liquidInHandlebars, ['/settings/templates']],
  ['template-single-brace', templateSingleBrace, ['/settings/templates', '/inputs/*']],
  ['file-reads', fileReads, ['/settings/templates', '/roles/*/actions/*/reads/**']],
  ['tool-arguments', toolArguments, ['/settings/templates', '/tools/**']],
  ['expression-syntax', expressionSyntax],
  ['expression-variables', expressionVariables, ['/inputs/*', '/vars/*']],
  ['expression-types', expressionTypes],
  ['input-conditions', inputConditions, ['/inputs/*']],
  ['vars-lists', varsLists, ['/vars/**']],
  ['payload-fields', payloadFields, ['/settings/templates', '/messages/*/schema/**', '/roles/*/actions/*/run/**', ...MESSAGE_FLOW]],
  ['enum-comparisons', enumComparisons, ['/messages/*/schema/**', '/roles/*/actions/*/run/**', ...MESSAGE_FLOW]],
  ['text-payloads', textPayloads, ['/settings/templates', '/roles/*/actions/*/run/**', ...MESSAGE_FLOW]],
  ['foreach-lists', foreachLists, ['/messages/*/schema/**', '/roles/*/actions/*/run/**', ...MESSAGE_FLOW]],
  ['item-fields', itemFields, ['/settings/templates', '/messages/*/schema/**', '/roles/*/actions/*/run/**', ...MESSAGE_FLOW]],
  ['unchecked-payloads', uncheckedPayloads, ['/settings/templates', '/messages/*/schema', '/roles/*/actions/*/run/**', ...MESSAGE_FLOW]],
  ['role-reachable', roleReachable, MESSAGE_FLOW],
  // `stop_on:` (an error, hinted `stop_when:`) taken out: "`Reply` is watched by no other role" is only true until it is renamed.
  ['message-watched', messageWatched, [...MESSAGE_FLOW, ...STOP_WHEN_RENAMES.map((name) => `/${name}`)]],
  ['message-published', messagePublished, MESSAGE_FLOW],
  // Any field of the SOP, a role, an action or its `output`/`when` taken out may be where the type was used (`stop_on:`, `watches:`).
  ['message-type-unused', messageTypeUnused, [...MESSAGE_FLOW, '/*', '/roles/*/*', '/roles/*/actions/*/*', '/roles/*/actions/*/output/*', '/roles/*/actions/*/when/*']],
  ['when-types', whenTypes, MESSAGE_FLOW],
  ['loop-bounds', loopBounds, [...MESSAGE_FLOW, '/settings/n_round', '/gates/**']],
  ['format-requires', formatRequires],
];

/** Does taking out the value at `removed` change what a rule needing `pattern` reads? */
export function affectsNeed(removed: string, pattern: string): boolean {
  const taken = fromPointer(removed);
  const needed = fromPointer(pattern);
  const inside = needed.at(-1) === '**';
  if (inside) needed.pop();
  // Taking out the needed value or what holds it always counts; something inside it only for `/**`.
  if (taken.length > needed.length && !inside) return false;
  return taken.slice(0, needed.length).every((segment, index) => needed[index] === '*' || needed[index] === segment);
}
