import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

// bin/ is CommonJS (bin/package.json) in a package of ES modules: the packed package must carry
// that file, or an installed `sop` would be read as an ES module and fail on its first `require`.
describe('the packed package (npm pack)', () => {
  let dir: string;
  let packedFiles: string[];
  let installed: string;

  beforeAll(() => {
    dir = tempDir('sop-packed-');
    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packedFiles = packed[0]?.files.map((file) => file.path) ?? [];
    execFileSync('tar', ['-xzf', path.join(dir, packed[0]?.filename as string), '-C', dir]);
    installed = path.join(dir, 'package');
    // Its dependencies, as npm would have installed them beside it.
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(installed, 'node_modules'));
  });

  it('runs `sop --version` and `sop validate` from its own bin/ as installed', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['bin/sop.js', 'bin/load-bundle.js', 'bin/package.json', 'dist/bundle/sop.cjs']));
    expect(readdirSync(path.join(installed, 'bin')).sort()).toEqual(['load-bundle.js', 'package.json', 'sop.js']);
    const run = (args: string[]) => spawnSync(process.execPath, [path.join(installed, 'bin', 'sop.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, VITEST: undefined, VITEST_WORKER_ID: undefined } });
    const version = run(['--version']);
    expect(version.stderr).toBe('');
    expect(version.stdout).toMatch(/^sop-runner\/\S+ /);
    const validate = run(['validate', path.join(installed, 'sops', 'software-company.yaml')]);
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('valid');
  });

  it('gives a project that installed it every schema as `sop-runner/schemas/FILE`, and at the path the modelines name', () => {
    const project = path.join(dir, 'project');
    mkdirSync(path.join(project, 'node_modules'), { recursive: true });
    symlinkSync(installed, path.join(project, 'node_modules', 'sop-runner'));
    const requireFromProject = createRequire(path.join(project, 'index.js'));
    const schemas = readdirSync(path.join(repoRoot, 'schemas'));
    expect(schemas).toEqual(expect.arrayContaining(['sop.v1.schema.json', 'sop-test.v1.schema.json', 'sop-eval.v1.schema.json', 'script.v1.schema.json', 'config.v1.schema.json']));
    for (const file of schemas) {
      expect(packedFiles).toContain(`schemas/${file}`);
      expect(requireFromProject.resolve(`sop-runner/schemas/${file}`)).toBe(realpathSync(path.join(installed, 'schemas', file)));
      // `# yaml-language-server: $schema=./node_modules/sop-runner/schemas/FILE` in a file at the project's root.
      expect(existsSync(path.resolve(project, `./node_modules/sop-runner/schemas/${file}`))).toBe(true);
    }
    expect(JSON.parse(readFileSync(requireFromProject.resolve('sop-runner/schema'), 'utf8'))).toMatchObject({ $id: 'https://sop-runner.dev/schemas/sop.v1.schema.json' });
  });

  // A project reads the README and docs in node_modules/sop-runner (the registry has no clone to
  // point to): each file they link to must be in the package, or the link leads nowhere.
  it('carries every file the packed README and docs link to', () => {
    const pages = packedFiles.filter((file) => file === 'README.md' || /^docs\/[^/]+\.md$/.test(file));
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/library.md', 'docs/testing.md']));
    const missing: string[] = [];
    for (const page of pages) {
      const text = readFileSync(path.join(installed, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target as string)) continue; // https:, mailto:
        const linked = path.posix.normalize(path.posix.join(path.posix.dirname(page), target as string)).replace(/\/$/, '');
        if (!packedFiles.some((file) => file === linked || file.startsWith(`${linked}/`))) missing.push(`${page} -> ${target}`);
      }
    }
    expect(missing).toEqual([]);
    expect(packedFiles).toEqual(expect.arrayContaining(['examples/library/run.mjs', 'examples/library/typed.ts', 'docs/report-screenshot.png']));
  });

  it('runs the library example as installed, and loads in a CommonJS program with require', () => {
    const project = path.join(dir, 'cjs-project');
    mkdirSync(path.join(project, 'node_modules'), { recursive: true });
    symlinkSync(installed, path.join(project, 'node_modules', 'sop-runner'));
    writeFileSync(path.join(project, 'package.json'), '{ "type": "commonjs" }\n');
    writeFileSync(path.join(project, 'index.js'), "const { runSop, loadResolvedSop } = require('sop-runner');\nconsole.log(typeof runSop, typeof loadResolvedSop);\n");
    const env = { ...process.env, VITEST: undefined, VITEST_WORKER_ID: undefined };
    const required = spawnSync(process.execPath, ['index.js'], { cwd: project, encoding: 'utf8', env });
    expect(required.stderr).toBe('');
    expect(required.stdout).toBe('function function\n');
    // node_modules/sop-runner/examples/library/run.mjs imports 'sop-runner': the package's own name.
    const example = spawnSync(process.execPath, [path.join(installed, 'examples', 'library', 'run.mjs'), path.join(project, 'out')], { cwd: project, encoding: 'utf8', env });
    expect(example.status, example.stderr).toBe(0);
    expect(example.stdout).toMatch(/resumed run \S+: completed/);
  });

  // docs/library.md's "Validate": an ES-module program finds the shipped SOPs through
  // `sop-runner/package.json` (the usual way to find a package's folder), which `exports` must list,
  // or Node refuses it (ERR_PACKAGE_PATH_NOT_EXPORTED), and prints the diagnostics as `sop validate` does.
  it('lets a program resolve sop-runner/package.json to find the shipped SOPs, and print the findings', () => {
    const project = path.join(dir, 'esm-project');
    mkdirSync(path.join(project, 'node_modules'), { recursive: true });
    symlinkSync(installed, path.join(project, 'node_modules', 'sop-runner'));
    writeFileSync(path.join(project, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(path.join(project, 'bad.yaml'), readFileSync(path.join(repoRoot, 'test', 'fixtures', 'library-user', 'undeclared-type.yaml')));
    writeFileSync(
      path.join(project, 'index.js'),
      [
        "import { createRequire } from 'node:module';",
        "import path from 'node:path';",
        "import { EXIT, formatDiagnostic, validateSopFile } from 'sop-runner';",
        "const packageDir = path.dirname(createRequire(import.meta.url).resolve('sop-runner/package.json'));",
        "for (const file of [path.join(packageDir, 'sops', 'software-company.yaml'), 'bad.yaml']) {",
        '  const result = await validateSopFile(file);',
        "  console.log(path.basename(file), result.sop ? 'valid' : 'invalid', result.diagnostics.length);",
        '  for (const diagnostic of result.diagnostics) console.error(formatDiagnostic(diagnostic));',
        '  if (!result.sop) process.exitCode = EXIT.INVALID_SOP;',
        '}',
        "console.log(import.meta.resolve('sop-runner/package.json') === new URL('file://' + path.join(packageDir, 'package.json')).href);",
        '',
      ].join('\n'),
    );
    const env = { ...process.env, VITEST: undefined, VITEST_WORKER_ID: undefined };
    const ran = spawnSync(process.execPath, ['index.js'], { cwd: project, encoding: 'utf8', env });
    expect(ran.stdout).toBe('software-company.yaml valid 0\nbad.yaml invalid 1\ntrue\n');
    expect(ran.stderr).toBe('bad.yaml:12:13: error MESSAGE_TYPE_UNDECLARED: message type `Topik` is not declared\n  expected: declared: Note, Topic\n  hint: did you mean `Topic`?\n');
    expect(ran.status).toBe(3);
  });

  // `npm publish` normalises package.json as `npm pkg fix` does, and warns of each change it makes
  // ("bin[sop] script name bin/sop.js was invalid and removed" for a `./` path, which it keeps).
  it('has a package.json that npm publishes as written, with no correction', () => {
    const copy = path.join(dir, 'pkg-fix');
    mkdirSync(copy);
    cpSync(path.join(installed, 'package.json'), path.join(copy, 'package.json'));
    cpSync(path.join(installed, 'bin'), path.join(copy, 'bin'), { recursive: true });
    const fix = spawnSync('npm', ['pkg', 'fix'], { cwd: copy, encoding: 'utf8' });
    expect(fix.status, fix.stderr).toBe(0);
    expect(fix.stderr).toBe('');
    expect(readFileSync(path.join(copy, 'package.json'), 'utf8')).toBe(readFileSync(path.join(installed, 'package.json'), 'utf8'));
  });
});

