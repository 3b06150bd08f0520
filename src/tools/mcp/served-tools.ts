import { compileSchema } from '../../spec/json-schemas.js';

/** A tool as a server lists it (MCP's `Tool`), the fields sop reads. */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: { readOnlyHint?: boolean };
}

/** A tool of the server's list that MCP's own schema refuses (its `inputSchema` not an object, say). */
export interface RefusedTool {
  /** Its name, when it has one. */
  name: string | undefined;
  /** Its place in the list, from 1, for a tool without a name. */
  position: number;
  problem: string;
}

/** A tool the server lists that the run does not offer, and why. */
export interface SkippedTool {
  /** The tool's name on the server (`broken`), or `#3` for a tool without one. */
  tool: string;
  reason: string;
}

/**
 * The listed tools a run can offer, within `allowed` (the server's `allowed_tools`; undefined: all),
 * and the others with why: a tool MCP's schema refuses, a name listed a second time (a call names a
 * tool only by its name, so the second listing cannot be reached) and an input schema that does not
 * compile (no call to it could be checked). Compiling here, once per server and run, is what the
 * first call would have done: the tool loop finds the compiled schema in the process's cache.
 */
export function servedTools(listed: readonly ListedTool[], refused: readonly RefusedTool[], allowed: readonly string[] | undefined): { usable: ListedTool[]; skipped: SkippedTool[] } {
  const isAllowed = (name: string | undefined): boolean => allowed === undefined || (name !== undefined && allowed.includes(name));
  const skipped: SkippedTool[] = refused.filter((tool) => isAllowed(tool.name)).map((tool) => ({ tool: tool.name ?? `#${tool.position}`, reason: tool.problem }));
  const usable: ListedTool[] = [];
  const seen = new Set<string>();
  for (const tool of listed) {
    if (!isAllowed(tool.name)) continue;
    if (seen.has(tool.name)) {
      skipped.push({ tool: tool.name, reason: 'the server lists this name more than once: a call names a tool only by its name, so only its first listing is offered' });
      continue;
    }
    seen.add(tool.name);
    const compiled = compileSchema(tool.inputSchema, 'lenient');
    if ('error' in compiled) {
      skipped.push({ tool: tool.name, reason: `its input schema does not compile (${compiled.error})` });
      continue;
    }
    usable.push(tool);
  }
  return { usable, skipped };
}
