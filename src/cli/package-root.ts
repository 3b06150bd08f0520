import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The package's root folder. This file lives at `src/cli/` (tests) and `dist/cli/` (built), both two
 * levels below the root, so the same relative step works from either.
 */
export const PACKAGE_ROOT: string = fileURLToPath(new URL('../../', import.meta.url));

/** The JSON Schema of the SOP format, shipped with the package. */
export const SOP_SCHEMA_PATH: string = path.join(PACKAGE_ROOT, 'schemas', 'sop.v1.schema.json');
