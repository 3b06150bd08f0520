import { readdirSync } from 'node:fs';

/** How many of the workspace's entries the note names. */
const NAMED = 3;

/**
 * The note for a run into its SOP's default workspace (`workspace/<sop name>`) that already holds
 * files: runs of one SOP share it, so what an earlier run wrote stays beside what this one writes
 * (MetaGPT users expect a fresh project unless they ask for incremental mode). Undefined when the
 * folder is missing or empty. `incremental`: the SOP has an incremental mode (`--inc`) to offer.
 */
export function earlierFilesNote(workspace: string, shown: string, incremental: boolean): string | undefined {
  let names: string[];
  try {
    names = readdirSync(workspace).sort();
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  const more = names.length > NAMED ? `, and ${names.length - NAMED} more` : '';
  return (
    `note: ${shown} already holds files of earlier runs (${names.slice(0, NAMED).join(', ')}${more}): this run writes beside them, ` +
    `replacing only the files it writes; pass --workspace DIR for a fresh workspace${incremental ? `, or --inc --workspace ${shown} to work on what is there` : ''}`
  );
}
