/**
 * Non-program files the offline model writes for `format: code`: HTML, CSS, JSON (a usable
 * package.json for that name), YAML, Markdown, and a comment-only text file for languages it
 * does not know. JSON cannot hold comments, so the notice goes in a `description` field.
 */

import type { SourceFile, Template } from './template-types.js';
import type { Language } from './languages.js';
import { markdownDocument } from './markdown.js';
import { kebabCase, snakeCase } from './text-utils.js';

const html: Template = (file) => `<!DOCTYPE html>
<!-- ${file.notice} -->
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${file.topic}</title>
</head>
<body>
  <main>
    <h1>${file.topic}</h1>
    <p>${file.task}.</p>
  </main>
</body>
</html>
`;

const css: Template = (file) => `/* ${file.notice} */
/* ${file.name}: ${file.task}. */
:root {
  --accent: #2f6fed;
}

body {
  font-family: system-ui, sans-serif;
  margin: 2rem;
  line-height: 1.5;
}

h1 {
  color: var(--accent);
}
`;

const json: Template = (file) => {
  const name = kebabCase(file.topic) || 'project';
  const value =
    file.name === 'package.json'
      ? { name, version: '0.1.0', private: true, description: `${file.task}. ${file.notice}`, scripts: { test: 'node --test' } }
      : { name, description: file.task, generated_by: file.notice };
  return `${JSON.stringify(value, null, 2)}\n`;
};

const yaml: Template = (file) => `# ${file.notice}
name: ${JSON.stringify(kebabCase(file.topic) || 'project')}
description: ${JSON.stringify(file.task)}
`;

const markdown: Template = (file) => markdownDocument({ title: file.topic, context: file.context });

/** go.mod: the module the Go toolchain needs to run `go test ./...`. */
const goModule: Template = (file) => `// ${file.notice}
module ${snakeCase(file.topic) || 'app'}

go 1.21
`;

/** Cargo.toml: the package `cargo test` needs; no dependencies. */
const cargoManifest: Template = (file) => {
  const name = snakeCase(file.topic) || 'app';
  return `# ${file.notice}
[package]
name = "${/^[0-9]/.test(name) ? `app_${name}` : name}"
version = "0.1.0"
edition = "2021"

[dependencies]
`;
};

/** Files known by their name rather than their extension. */
export const NAMED_TEMPLATES: Readonly<Record<string, Template>> = { 'go.mod': goModule, 'Cargo.toml': cargoManifest };

export const DATA_TEMPLATES: Partial<Record<Language, Template>> = { html, css, json, yaml, markdown };

/** For languages the offline model does not know: `#` comments only (valid in most config files). */
export function commentOnly(file: SourceFile): string {
  return `# ${file.notice}\n# ${file.name}: ${file.task}.\n`;
}
