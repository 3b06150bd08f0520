// Bundles the CLI (dist/cli/main.js, from tsc) with oclif into one CommonJS file,
// dist/bundle/sop.cjs (esbuild, without whitespace), so starting a command reads a file instead of ~300 modules, and
// bin/load-bundle.js can keep V8's code for it between commands (README, Design: start-up). Run by
// `npm run build` after tsc. Our own modules imported dynamically are in the file, initialised only
// when used; a package imported dynamically (a provider SDK, MCP, cosmiconfig) stays in
// node_modules, loaded as it is without a bundle. The library (dist/index.js) is not bundled.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { commandOrder } from './command-order.mjs';
import { lazyCommands } from './lazy-commands.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const outdir = path.join(dist, 'bundle');

/**
 * A package imported dynamically is loaded only when used: it stays out of the bundle. Except those
 * every command imports: oclif's setup imports `wsl-utils` (six ES modules) to name the platform
 * (bundled in a file of its own, LAZY_PACKAGES).
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
 * Code that most commands never run is bundled into files of its own beside the bundle, each
 * required on first use (the bundle is read, turned into a string and its code cache read by every
 * command: ~1.3 MB less of it is ~10 ms of a cold `sop run`, README, Design: start-up).
 * - Packages our modules `require` on first use: ajv's compiler (and ajv-formats; `sop validate`
 *   judges schemas without ajv, json-schemas.ts, which test/cli/lazy-loading.test.ts can see), CEL,
 *   RE2 and the CSV parser. The small runtime helpers of the generated validators stay inline.
 * - The validators generated from our schemas (`*.validator.generated.js`, ~700 KB): a kept verdict
 *   (src/cli/validation-cache.ts) needs none of them. The bundle keeps a stand-in whose exports
 *   require the file when first read.
 */
const SIDE_PACKAGES = {
  'ajv.cjs': ['ajv', 'ajv/dist/2019.js', 'ajv/dist/2020.js', 'ajv-formats'],
  'cel.cjs': ['@marcbachmann/cel-js'],
  're2.cjs': ['re2js'],
  'csv.cjs': ['csv-parse/sync'],
};
/**
 * Packages that a cold `sop run` and a kept `sop validate` never call (coverage of a cold W1 run
 * with `NODE_V8_COVERAGE`), but that modules every command loads import: yaml (a file's first
 * validation, eval, lock; the run of a kept verdict parses nothing), semver (oclif's engine check,
 * an SOP's `requires`), the jsdiff of `sop test`'s output, oclif's help and plugin helpers (ejs,
 * string-width's emoji-regex, ansi-styles' color-convert, minimatch, lilconfig) and the frames of
 * oclif's spinner (cli-spinners, 31 KB of JSON that oclif's `ux` imports; sop shows no oclif spinner). Each import of one
 * becomes a stand-in with the package's export names as getters, which require its file on first
 * read (~400 KB less bundle for every command to read and cache).
 */
const LAZY_PACKAGES = {
  'yaml.cjs': ['yaml'],
  'semver.cjs': ['semver'],
  'diff.cjs': ['diff'],
  'help.cjs': ['ejs', 'emoji-regex', 'color-convert'],
  'plugins.cjs': ['minimatch', 'lilconfig'],
  'wsl.cjs': ['wsl-utils'],
  'spinners.cjs': ['cli-spinners'],
};
/**
 * Exports a stand-in reads from another package, bundled: the same value. oclif's setup reads only
 * `isWsl` of wsl-utils (to name the platform), which is is-wsl's; wsl-utils itself (with
 * powershell-utils, which load `child_process` at once to promisify `execFile`) is needed on WSL only.
 */
const SHORTCUTS = { 'wsl-utils': { isWsl: ['is-wsl', 'default'] } };
/**
 * Node modules that oclif requires when it loads but calls only for some commands (`child_process`
 * on WSL, `readline` for a flag read from stdin, `perf_hooks` with OCLIF_PERFORMANCE): each is a
 * stand-in required on first use, as LAZY_PACKAGES are (Node compiles each one it loads, with the
 * modules they load in turn, such as `dgram` and `net` for child_process).
 */
const LAZY_BUILTINS = ['node:child_process', 'node:readline', 'node:perf_hooks'];
const SIDE_FILE_OF = new Map(Object.entries(SIDE_PACKAGES).flatMap(([file, names]) => names.map((name) => [name, file])));
const LAZY_FILE_OF = new Map(Object.entries(LAZY_PACKAGES).flatMap(([file, names]) => names.map((name) => [name, file])));
const SIDE_REQUIRE = new RegExp(`require\\('(${[...SIDE_FILE_OF.keys()].map((name) => name.replace(/[./]/g, '\\$&')).join('|')})'\\)`, 'g');
const GENERATED = /\.validator\.generated\.js$/;
/** `dist/spec/sop-schema.validator.generated.js` -> `sop-schema.validator.cjs`. */
const generatedFile = (file) => path.basename(file).replace('.generated.js', '.cjs');
const GENERATED_VALIDATORS = (await readdir(dist, { recursive: true })).filter((file) => GENERATED.test(file));
/** The names of the files beside the bundle that it requires. */
const SIDE_FILES = new Set([...Object.keys(SIDE_PACKAGES), ...Object.keys(LAZY_PACKAGES), ...GENERATED_VALIDATORS.map(generatedFile)]);
const ownModules = {
  name: 'own-modules',
  setup(context) {
    // A generated validator: a stand-in that requires its own file when one of its exports is read.
    // (In a namespace of its own: a `.js` file in this package would be taken as an ES module.)
    context.onResolve({ filter: GENERATED }, (args) => {
      const file = path.resolve(args.resolveDir, args.path);
      return file.startsWith(dist) ? { path: path.relative(root, file).split(path.sep).join('/'), namespace: 'generated-validator' } : undefined;
    });
    context.onLoad({ filter: GENERATED, namespace: 'generated-validator' }, async (args) => {
      const names = [...(await readFile(path.join(root, args.path), 'utf8')).matchAll(/^export (?:const|function) (\w+)/gm)].map((match) => match[1]);
      const side = JSON.stringify(`./${generatedFile(args.path)}`);
      return { contents: `module.exports = {${names.map((name) => `get ${name}() { return require(${side}).${name}; }`).join(', ')}};`, loader: 'js' };
    });
    context.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromBundle = path.relative(outdir, args.path).split(path.sep).join('/');
      const contents = text.replace(OWN_REQUIRE, '').replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, ${BUNDLE_URL}).href`)
        .replace(SIDE_REQUIRE, (_, name) => `require('./${SIDE_FILE_OF.get(name)}')[${JSON.stringify(name)}]`);
      return { contents, loader: 'js' };
    });
    context.onResolve({ filter: /^\.\/[\w.-]+\.cjs$/ }, (args) => (SIDE_FILES.has(args.path.slice(2)) ? { path: args.path, external: true } : undefined));
  },
};

/**
 * A package of `LAZY_PACKAGES`, wherever it is imported (our modules, oclif's): a stand-in with the
 * names the package exports (read from its built file) as getters that require the file once. A
 * package that exports a function (emoji-regex) gets a function that calls it.
 */
const lazyStandIns = {
  name: 'lazy-stand-ins',
  setup(context) {
    const pattern = new RegExp(`^(${[...LAZY_FILE_OF.keys(), ...LAZY_BUILTINS].map((name) => name.replace(/[./-]/g, '\\$&')).join('|')})$`);
    // (A built-in's stand-in requires the built-in itself.)
    context.onResolve({ filter: pattern }, (args) => (args.namespace === 'lazy-package' ? undefined : { path: args.path, namespace: 'lazy-package' }));
    context.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({ contents: standIn(args.path), loader: 'js', resolveDir: root }));
  },
};
const requireBuilt = createRequire(import.meta.url);
const FUNCTION_OWN = new Set(['length', 'name', 'prototype', 'arguments', 'caller']);
function standIn(name) {
  const file = LAZY_FILE_OF.get(name);
  const real = file ? requireBuilt(path.join(outdir, file))[name] : requireBuilt(name);
  const load = file ? `(loaded ??= require(${JSON.stringify(`./${file}`)})[${JSON.stringify(name)}])` : `(loaded ??= require(${JSON.stringify(name)}))`;
  const names = Object.getOwnPropertyNames(real).filter((key) => key !== '__esModule' && !(typeof real === 'function' && FUNCTION_OWN.has(key)));
  const getters = names.map((key) => {
    const [other, otherKey] = SHORTCUTS[name]?.[key] ?? [];
    const from = other ? `require(${JSON.stringify(other)})[${JSON.stringify(otherKey)}]` : `${load}[${JSON.stringify(key)}]`;
    return `get ${JSON.stringify(key)}() { return ${from}; }`;
  });
  if (real.__esModule) getters.push('__esModule: true');
  if (typeof real !== 'function') return `let loaded;\nmodule.exports = {${getters.join(', ')}};`;
  return `let loaded;\nmodule.exports = Object.defineProperties(function (...args) { return new.target ? Reflect.construct(${load}, args) : ${load}.apply(this, args); }, Object.getOwnPropertyDescriptors({${getters.join(', ')}}));`;
}

await rm(outdir, { recursive: true, force: true });
// Each module is initialised when first asked for (a getter), as `require` would.
for (const [file, names] of Object.entries({ ...SIDE_PACKAGES, ...LAZY_PACKAGES })) {
  await build({
    stdin: { contents: `module.exports = {${names.map((name) => `get ${JSON.stringify(name)}() { return require(${JSON.stringify(name)}); }`).join(', ')}};`, resolveDir: root, loader: 'js' },
    outfile: path.join(outdir, file),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20.19',
    logLevel: 'warning',
  });
}
/** A generated validator requires ajv's runtime helpers with its own `require`: bundled with it. */
const ownRequire = {
  name: 'own-require',
  setup(context) {
    context.onLoad({ filter: GENERATED }, async (args) => ({ contents: (await readFile(args.path, 'utf8')).replace(OWN_REQUIRE, ''), loader: 'js' }));
  },
};
for (const entry of GENERATED_VALIDATORS) {
  await build({
    entryPoints: [path.join(dist, entry)],
    outfile: path.join(outdir, generatedFile(entry)),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20.19',
    plugins: [ownRequire],
    logLevel: 'warning',
  });
}
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
  // tinyglobby too: oclif requires it when it first globs (never, with the explicit command list;
  // scripts/command-order.mjs), our modules import it for a `reads` glob: from node_modules either way.
  external: ['openai', '@anthropic-ai/sdk', 'ollama', 'gpt-tokenizer', 'typescript', '@opentelemetry', 'bullmq', 'ioredis', 'tinyglobby', ...INSTALLED].flatMap((name) => [name, `${name}/*`]),
  banner: { js: `const ${BUNDLE_URL} = require('node:url').pathToFileURL(__filename).href;` },
  define: { 'import.meta.url': BUNDLE_URL },
  // Without the indentation, line breaks and comments: 27 % fewer bytes for every command to read
  // and turn into a string. Names are kept (stack traces and error messages name functions).
  minifyWhitespace: true,
  plugins: [lazyPackages, lazyStandIns, lazyCommands, ownModules, commandOrder],
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
// Written with the module wrapper the loader needs (Node's, plus `__sopImport`) in the file, so the
// loader compiles the file's text as read: adding the wrapper when loading made V8 copy the whole
// text into one string first (~5 ms of every command on the 2-core machine). Compiled by the loader
// (no `module` in its scope), the file's value is the wrapped function, which the loader calls;
// required as any CommonJS file (oclif's `Config.load` of the package), it calls it itself.
const wrapped = `(typeof module === 'object' && typeof exports === 'object' ? (main) => main(exports, require, module, __filename, __dirname, (specifier) => import(specifier)) : (main) => main)(function (exports, require, module, __filename, __dirname, __sopImport) {${code}\n})`;
await writeFile(bundle, wrapped);
// The content hash names the bundle's code cache (bin/load-bundle.js); written last, with the bundle
// complete (test/global-setup.ts reads its age).
await writeFile(`${bundle}.sha256`, `${createHash('sha256').update(wrapped).digest('hex').slice(0, 32)}\n`);
