import { actionKind } from './action-kind.js';
import { addressesKnown } from './addresses-known.js';
import { artifactContent } from './artifact-content.js';
import { artifactPaths } from './artifact-paths.js';
import { expressionSyntax } from './expression-syntax.js';
import { expressionTypes } from './expression-types.js';
import { expressionVariables } from './expression-variables.js';
import { gateChecks } from './gate-checks.js';
import { gateKind } from './gate-kind.js';
import { mcpServers } from './mcp-servers.js';
import { messageTypesDeclared } from './message-types-declared.js';
import { messageWatched } from './message-watched.js';
import { payloadFields } from './payload-fields.js';
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
import { uniqueActionIds } from './unique-action-ids.js';

export { createRuleContext, type Rule, type RuleContext } from './rule-context.js';

/** The semantic rules, run in this order on every schema-valid SOP. Each pushes its own diagnostics. */
export const RULES: ReadonlyArray<readonly [name: string, rule: Rule]> = [
  ['message-types-declared', messageTypesDeclared],
  ['unique-action-ids', uniqueActionIds],
  ['addresses-known', addressesKnown],
  ['action-kind', actionKind],
  ['gate-kind', gateKind],
  ['gate-checks', gateChecks],
  ['tool-references', toolReferences],
  ['tool-declarations', toolDeclarations],
  ['mcp-servers', mcpServers],
  ['tool-safety', toolSafety],
  ['artifact-content', artifactContent],
  ['artifact-paths', artifactPaths],
  ['payload-schemas', payloadSchemas],
  ['template-syntax', templateSyntax],
  ['template-variables', templateVariables],
  ['template-forbidden-fields', templateForbiddenFields],
  ['tool-arguments', toolArguments],
  ['expression-syntax', expressionSyntax],
  ['expression-variables', expressionVariables],
  ['expression-types', expressionTypes],
  ['payload-fields', payloadFields],
  ['role-reachable', roleReachable],
  ['message-watched', messageWatched],
];
