import type { AnnotationBase, GithubActionsContext } from '../reporting/index.js';

/** Where GitHub places annotations from, under Actions: the checkout (`GITHUB_WORKSPACE`) and this command's folder; undefined without a checkout. */
export function annotationBase(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AnnotationBase | undefined {
  const root = env['GITHUB_WORKSPACE'];
  return root ? { root, cwd } : undefined;
}

/** Under GitHub Actions (`GITHUB_ACTIONS=true`): the step summary and outputs files (when set) and where annotations are placed from; undefined elsewhere. */
export function githubActions(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): GithubActionsContext | undefined {
  if (env['GITHUB_ACTIONS'] !== 'true') return undefined;
  return { stepSummary: env['GITHUB_STEP_SUMMARY'] || undefined, outputs: env['GITHUB_OUTPUT'] || undefined, base: annotationBase(env, cwd) };
}
