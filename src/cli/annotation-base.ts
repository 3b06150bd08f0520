import type { AnnotationBase } from '../reporting/index.js';

/** Where GitHub places annotations from, under Actions: the checkout (`GITHUB_WORKSPACE`) and this command's folder; undefined without a checkout. */
export function annotationBase(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AnnotationBase | undefined {
  const root = env['GITHUB_WORKSPACE'];
  return root ? { root, cwd } : undefined;
}
