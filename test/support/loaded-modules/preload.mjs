// Preloaded with `node --import` into a child process: at exit, appends the URL of every module the
// process loaded (ES modules through a load hook, CommonJS from require.cache) to the file named by
// SOP_LOADED_MODULES, one per line. Used by test/cli/lazy-loading.test.ts.
import { appendFileSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const out = process.env.SOP_LOADED_MODULES;
const require = createRequire(import.meta.url);
const seen = new Set();

if (out) {
  if (module.registerHooks) {
    // Node 22.15+: hooks in this thread, which also see require().
    module.registerHooks({
      load(url, context, next) {
        seen.add(url);
        return next(url, context);
      },
    });
  } else {
    module.register('./hooks.mjs', import.meta.url, { data: { out } });
  }
  process.on('exit', () => {
    for (const file of Object.keys(require.cache)) seen.add(pathToFileURL(file).href);
    appendFileSync(out, [...seen].map((url) => `${url}\n`).join(''));
  });
}
