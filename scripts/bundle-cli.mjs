// Bundles the CLI (dist/cli/main.js, from tsc) with oclif into one CommonJS file,
// dist/bundle/sop.cjs (esbuild), so starting a command reads a file instead of ~300 modules, and
// bin/load-bundle.js can keep V8's code for it between commands (README, Design: start-up). Run by
// `npm run build` after tsc. Our own modules imported dynamically are in the file, initialised only
// when used; a package imported dynamically (a provider SDK, MCP, cosmiconfig) stays in
// node_modules, loaded as it is without a bundle. The library (dist/index.js) is not bundled.
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { commandOrder } from './command-order.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const outdir = path.join(dist, 'bundle');

/**
 * A package imported dynamically is loaded only when used: it stays out of the bundle. Except those
 * every command imports: oclif's setup imports `wsl-utils` (six ES modules) to name the platform.
 */
const EVERY_COMMAND = new Set(['wsl-utils']);
const lazyPackages = {
  name: 'lazy-packages',
  setup(context) {
    context.onResolve({ filter: /^[^./]/ }, (args) => (args.kind === 'dynamic-import' && !EVERY_COMMAND.has(args.path) ? { path: args.path, external: true } : undefined));
  },
};

/**
 * Our modules load some packages and data files on first use, with `createRequire(import.meta.url)`
 * (synchronously, so their callers stay sync). In the bundle those calls become esbuild's own
 * requires: what they load is bundled, still initialised only on first call (ajv: one file instead
 * of ~80, ~35 ms; CEL: bundled instead of ~20 ES modules, ~15 ms), and JSON files are inlined.
 * The packages in `INSTALLED` are required from node_modules as before (one file each, nothing to
 * gain; jsonc-parser's UMD build requires its own files, which esbuild cannot follow). Each module also keeps its own `import.meta.url` (package-root.ts).
 */
const INSTALLED = ['handlebars', 'jsonc-parser', 'jsonrepair', 'liquidjs'];
const OWN_REQUIRE = 'const require = createRequire(import.meta.url);';

/**
 * ajv's compiler (and ajv-formats) is bundled into a file of its own, dist/bundle/ajv.cjs, required
 * on first use: one file to read (not ~80), and a command that compiles no schema (`sop validate`
 * judges schemas without ajv, json-schemas.ts) never reads it, which test/cli/lazy-loading.test.ts
 * can see. The small runtime helpers of the generated validators (`ajv/dist/runtime/*`) stay inline.
 */
const AJV_MODULES = ['ajv', 'ajv/dist/2019.js', 'ajv/dist/2020.js', 'ajv-formats'];
const AJV_FILE = 'ajv.cjs';
const AJV_REQUIRE = /require\('(ajv|ajv\/dist\/2019\.js|ajv\/dist\/2020\.js|ajv-formats)'\)/g;
const ownModules = {
  name: 'own-modules',
  setup(context) {
    context.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromBundle = path.relative(outdir, args.path).split(path.sep).join('/');
      const contents = text.replace(OWN_REQUIRE, '').replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, ${BUNDLE_URL}).href`)
        .replace(AJV_REQUIRE, (_, name) => `require('./${AJV_FILE}')[${JSON.stringify(name)}]`);
      return { contents, loader: 'js' };
    });
    context.onResolve({ filter: new RegExp(`^\\./${AJV_FILE.replace('.', '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
  },
};

await rm(outdir, { recursive: true, force: true });
// Each module is initialised when first asked for (a getter), as `require` would.
await build({
  stdin: { contents: `module.exports = {${AJV_MODULES.map((name) => `get ${JSON.stringify(name)}() { return require(${JSON.stringify(name)}); }`).join(', ')}};`, resolveDir: root, loader: 'js' },
  outfile: path.join(outdir, AJV_FILE),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  logLevel: 'warning',
});
/** The bundle's own URL, what `import.meta.url` is in it (a CommonJS file has no `import.meta`). */
const BUNDLE_URL = '__sopBundleUrl';
const bundle = path.join(outdir, 'sop.cjs');
await build({
  entryPoints: [path.join(dist, 'cli', 'main.js')],
  outfile: bundle,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  // The provider SDKs (and tokenizer) are imported by modules loaded only for their provider, and
  // OpenTelemetry by src/telemetry/otel-sdk.ts only when telemetry is on, BullMQ and ioredis by
  // src/queue/ only for queued runs and workers: they stay as installed, not copied into the bundle
  // (bundled, the queue's 2.3 MB made every command load and keep them: +7 MB peak RSS per run).
  // oclif requires typescript in development only.
  external: ['openai', '@anthropic-ai/sdk', 'ollama', 'gpt-tokenizer', 'typescript', '@opentelemetry', 'bullmq', 'ioredis', ...INSTALLED].flatMap((name) => [name, `${name}/*`]),
  banner: { js: `const ${BUNDLE_URL} = require('node:url').pathToFileURL(__filename).href;` },
  define: { 'import.meta.url': BUNDLE_URL },
  plugins: [lazyPackages, ownModules, commandOrder],
  logLevel: 'warning',
});
// A script compiled by `vm` (bin/load-bundle.js) has no `import()` of its own on Node 20: the
// bundle's dynamic imports (of packages, and oclif's of a plugin's files) call the loader's
// `__sopImport` instead. Not in a string (oclif's message "import() failed").
// Then every character outside ASCII (esbuild escapes them in strings, not in regular expression
// literals or comments) is written as a \u escape, which means the same there: the loader reads an
// ASCII file as Latin-1, a one-byte string V8 takes as is, instead of decoding UTF-8 into two bytes a
// character (~10 ms of CPU for the 3 MB file, in every command).
const code = (await readFile(bundle, 'utf8')).replace(/(?<![\w$."'`])import\(/g, '__sopImport(')
  .replace(/\\?[^\x00-\x7f]/g, (character) => {
    // `\é` (an identity escape) would become a backslash and the letters `u00e9`.
    if (character.startsWith('\\')) throw new Error(`bundle-cli: a backslash before a non-ASCII character (${character}): write it as a \\u escape in the source`);
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
await writeFile(bundle, code);
// The content hash names the bundle's code cache (bin/load-bundle.js); written last, with the bundle
// complete (test/global-setup.ts reads its age).
await writeFile(`${bundle}.sha256`, `${createHash('sha256').update(code).digest('hex').slice(0, 32)}\n`);
