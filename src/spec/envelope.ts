import { createRequire } from 'node:module';
import type semverModule from 'semver';
import type { DiagnosticSink } from './diagnostic-sink.js';

const require = createRequire(import.meta.url);

/** Format versions this runner reads. */
export const SUPPORTED_API_VERSIONS: readonly string[] = Object.freeze(['sop/v1']);

/** The other file formats of sop, by apiVersion: what such a file is and what reads it. */
const COMPANION_FORMATS: Readonly<Record<string, { what: string; use: string }>> = Object.freeze({
  'sop-test/v1': { what: 'a test file (`sop-test/v1`)', use: 'run its cases with `sop test FILE`' },
  'sop-eval/v1': { what: 'an eval dataset (`sop-eval/v1`)', use: 'run it with `sop eval SOP --dataset FILE`' },
  'sop-script/v1': { what: 'a script of model answers (`sop-script/v1`)', use: 'use it as a model, `--model script:FILE`' },
});

/**
 * What a file of another of sop's formats is and what reads it (`a test file (\`sop-test/v1\`)`,
 * `run its cases with \`sop test FILE\``), by its apiVersion; undefined for any other value.
 */
export function companionFormat(apiVersion: unknown): { what: string; use: string } | undefined {
  return typeof apiVersion === 'string' && Object.hasOwn(COMPANION_FORMATS, apiVersion) ? COMPANION_FORMATS[apiVersion] : undefined;
}

/**
 * Checks what must hold before the rest of the file means anything: a format version we know and a
 * runner version the SOP accepts. Returns false when validation should stop here (an unknown
 * format would only produce noise).
 */
export function checkEnvelope(data: Record<string, unknown>, sink: DiagnosticSink, runnerVersion: string): boolean {
  const apiVersion = data.apiVersion;
  if (typeof apiVersion !== 'string' || !SUPPORTED_API_VERSIONS.includes(apiVersion)) {
    const found = apiVersion === undefined ? 'missing `apiVersion`' : `unsupported apiVersion \`${String(apiVersion)}\``;
    const companion = companionFormat(apiVersion);
    sink.error('API_VERSION_UNSUPPORTED', apiVersion === undefined ? '' : '/apiVersion', found, {
      expected: `one of: ${SUPPORTED_API_VERSIONS.join(', ')}`,
      hint: apiVersion === undefined
        ? 'start the file with `apiVersion: sop/v1`'
        : companion !== undefined
        ? `this is not an SOP but ${companion.what}: ${companion.use}`
        : `this runner (sop ${runnerVersion}) reads ${SUPPORTED_API_VERSIONS.join(', ')}; use one of them or upgrade sop`,
    });
    return false;
  }

  const metadata = data.metadata;
  const requires = metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>).requires : undefined;
  if (typeof requires === 'string') {
    // semver (47 modules, ~15 ms to load) is needed only by SOPs stating `requires`: loaded here.
    const semver = require('semver') as typeof semverModule;
    const range = semver.validRange(requires);
    if (range === null) {
      sink.error('SCHEMA_PATTERN', '/metadata/requires', `\`${requires}\` is not a semver range`, {
        expected: 'a range of runner versions such as `>=0.1 <1` or `^0.1.0`',
        hint: 'see https://semver.org and the node-semver range syntax',
      });
    } else if (!semver.satisfies(runnerVersion, range, { includePrerelease: true })) {
      sink.error('REQUIRES_UNSATISFIED', '/metadata/requires', `this SOP requires sop \`${requires}\`, this runner is ${runnerVersion}`, {
        expected: `a runner version in \`${requires}\``,
        hint: 'install a matching version of sop, or relax metadata.requires if the SOP works with this one',
      });
      return false;
    }
  }
  return true;
}
