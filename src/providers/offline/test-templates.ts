/**
 * Test files for script languages that check something real about the project they sit in:
 * Python compiles every `.py` file (one subTest per file), JavaScript runs `node --check` on
 * every `.js`/`.mjs`/`.cjs` file; both fail when the project has no source file at all. The
 * project is the folder above the `tests`/`test` folder holding the test (looked for at most
 * three levels up), else the test's own folder.
 */

import type { SourceFile, Template } from './template-types.js';
import { isEsmPath, type Language } from './languages.js';

const python: Template = (file) => `# ${file.notice}
"""Tests for ${file.task}: every Python file of the project compiles."""

import os
import py_compile
import tempfile
import unittest

TEST_FOLDERS = {"tests", "test"}
SKIPPED_FOLDERS = {"__pycache__", "node_modules", "venv", "site-packages", "build", "dist"}


def project_root():
    """The folder above the tests folder holding this file, else this file's folder."""
    here = os.path.dirname(os.path.abspath(__file__))
    probe = here
    for _ in range(3):
        if os.path.basename(probe) in TEST_FOLDERS:
            return os.path.dirname(probe)
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    return here


def python_files(root):
    """Every .py file under root, skipping hidden, cache and virtualenv folders."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(
            name for name in subfolders if not name.startswith(".") and name not in SKIPPED_FOLDERS
        )
        found.extend(os.path.join(folder, name) for name in sorted(files) if name.endswith(".py"))
    return found


def is_test_file(path, root):
    parts = os.path.relpath(path, root).split(os.sep)
    name = parts[-1]
    in_tests = any(part in TEST_FOLDERS for part in parts[:-1])
    return in_tests or name.startswith("test_") or name.endswith("_test.py")


ROOT = project_root()


class ProjectCompilesTest(unittest.TestCase):
    def test_project_has_source_files(self):
        sources = [path for path in python_files(ROOT) if not is_test_file(path, ROOT)]
        self.assertTrue(sources, "no Python source files found in " + ROOT)

    def test_every_python_file_compiles(self):
        with tempfile.TemporaryDirectory() as scratch:
            for index, path in enumerate(python_files(ROOT)):
                with self.subTest(file=os.path.relpath(path, ROOT)):
                    compiled = os.path.join(scratch, str(index) + ".pyc")
                    try:
                        py_compile.compile(path, cfile=compiled, doraise=True)
                    except py_compile.PyCompileError as error:
                        self.fail(error.msg)


if __name__ == "__main__":
    unittest.main()
`;

/** The part shared by the CommonJS and ESM variants; `here`/`self` are defined by the header. */
function javascriptBody(): string {
  return `const TEST_FOLDERS = new Set(['test', 'tests', '__tests__']);
const SKIPPED_FOLDERS = new Set(['node_modules', 'coverage', 'dist', 'build']);

/** The folder above the test folder holding this file, else this file's folder. */
function projectRoot() {
  let probe = here;
  for (let level = 0; level < 3; level += 1) {
    if (TEST_FOLDERS.has(path.basename(probe))) return path.dirname(probe);
    const parent = path.dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  return here;
}

/** Every .js, .mjs and .cjs file under a folder, skipping hidden folders and node_modules. */
function javascriptFiles(folder) {
  const found = [];
  const entries = fs.readdirSync(folder, { withFileTypes: true });
  entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) found.push(...javascriptFiles(full));
    } else if (/\\.[cm]?js$/.test(entry.name) && full !== self) {
      found.push(full);
    }
  }
  return found;
}

function isTestFile(file, root) {
  const parts = path.relative(root, file).split(path.sep);
  const name = parts[parts.length - 1];
  return parts.slice(0, -1).some((part) => TEST_FOLDERS.has(part)) || /[._-]test\\.[cm]?js$|^test[-_]/.test(name);
}

const root = projectRoot();
const files = javascriptFiles(root);

test('the project has JavaScript source files', () => {
  assert.ok(files.some((file) => !isTestFile(file, root)), 'no JavaScript source files found in ' + root);
});

test('every JavaScript file parses (node --check)', async (t) => {
  for (const file of files) {
    await t.test(path.relative(root, file), () => {
      const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
    });
  }
});
`;
}

const javascript: Template = (file) =>
  isEsmPath(file.path)
    ? `// ${file.notice}
// Tests for ${file.task}: every JavaScript file of the project parses.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const here = path.dirname(self);

${javascriptBody()}`
    : `// ${file.notice}
// Tests for ${file.task}: every JavaScript file of the project parses.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const self = __filename;
const here = __dirname;

${javascriptBody()}`;

const typescript: Template = (file: SourceFile) => `// ${file.notice}
// Tests for ${file.task}: the project has TypeScript sources besides its tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = ['test', 'tests', '__tests__'].includes(basename(here)) ? dirname(here) : here;

function typescriptSources(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = join(folder, entry.name);
    if (entry.isDirectory()) {
      const skipped = entry.name.startsWith('.') || ['node_modules', 'test', 'tests', 'dist'].includes(entry.name);
      if (!skipped) found.push(...typescriptSources(full));
    } else if (/\\.tsx?$/.test(entry.name) && !/\\.(test|spec)\\.tsx?$/.test(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

test('the project has TypeScript source files', () => {
  assert.ok(typescriptSources(root).length > 0, 'no TypeScript source files found in ' + root);
});
`;

export const SCRIPT_TEST_TEMPLATES: Partial<Record<Language, Template>> = { python, javascript, typescript };
