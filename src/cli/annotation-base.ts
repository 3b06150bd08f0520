import type { AnnotationBase } from '../reporting/index.js';

/** Where GitHub places annotations from, under Actions: the checkout (`GITHUB_WORKSPACE`) and this command's folder; undefined without a checkout. */
export function annotationBase(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AnnotationBase | undefined {
  const root = env['GITHUB_WORKSPACE'];
  return root ? { root, cwd } : undefined;
}

/** Under GitHub Actions (`GITHUB_ACTIONS=true`): the step summary file (when set) and where annotations are placed from; undefined elsewhere. */
export function githubActions(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): { stepSummary?: string | undefined; base?: AnnotationBase | undefined } | undefined {
  if (env['GITHUB_ACTIONS'] !== 'true') return undefined;
  return { stepSummary: env['GITHUB_STEP_SUMMARY'] || undefined, base: annotationBase(env, cwd) };
}
