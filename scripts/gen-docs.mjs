// Generates docs/format.md, the field-by-field reference of the SOP format, from
// schemas/sop.v1.schema.json: every field with its description, type, default and an example.
// Examples come from the EXAMPLES table below and are validated against the schema, so the
// reference never shows an example the runner would refuse.
//   node scripts/gen-docs.mjs          writes docs/format.md
//   node scripts/gen-docs.mjs --check  exits 1 when docs/format.md is stale or an example is missing
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import YAML from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemaPath = `${root}schemas/sop.v1.schema.json`;
const outPath = `${root}docs/format.md`;

/**
 * One example per field, as the YAML a user writes (`field: value`). Keys: `Def.field` for a field
 * of `$defs/Def` (`Def.parent.field` for a field of an inline object, `Def` for the definition
 * itself), `SOP.field` for a top-level field.
 */
const EXAMPLES = {
  'SOP.apiVersion': 'apiVersion: sop/v1',
  'SOP.kind': 'kind: SOP',
  'SOP.metadata': 'metadata:\n  name: software-company\n  version: 1.0.0',
  'SOP.inputs': 'inputs:\n  topic: { type: string, description: What the brief is about }\n  audience: { default: an engineering lead }',
  'SOP.vars': 'vars:\n  test_command:\n    python: [python3, -m, unittest, discover, -s, tests]\n    javascript: [node, --test]\n  house_style: Short sentences, no jargon.',
  'SOP.settings': 'settings: { n_round: 14, max_concurrency: 4 }',
  'SOP.messages': 'messages:\n  UserRequirement: { description: The idea as given }\n  PRD: { schema: { $ref: schemas/prd.json } }',
  'SOP.start': 'start:\n  - type: UserRequirement\n    content: "{{ inputs.idea }}"',
  'SOP.roles': 'roles:\n  product_manager:\n    profile: Product Manager\n    watch: [UserRequirement]\n    actions:\n      - id: write_prd\n        prompt: { file: prompts/write_prd.liquid }\n        output: { type: PRD, format: json }',
  'SOP.stop_when': 'stop_when: { type: TestReport, if: payload.passed }',
  'SOP.tools': "tools:\n  word_count:\n    description: Count the words of a workspace file\n    parameters: { type: object, required: [path], properties: { path: { type: string } } }\n    command: { command: [wc, -w, --, '{{ args.path }}'] }",
  'SOP.gates': 'gates:\n  review:\n    - { name: has-title, matches: "^# ", on_fail: { revise: 1 } }\n    - { name: reviewer, judge: { rubric: Clear and correct }, on_fail: { revise: 2 } }',
  'SOP.mcp_servers': 'mcp_servers:\n  docs: { command: [node, servers/docs.mjs], allowed_tools: [search] }',
  'Settings.tools': 'tools: { max_calls: 6, shell: { allow: [python3] } }',
  'ToolSettings.max_calls': 'max_calls: 6',
  'ToolSettings.timeout': 'timeout: 20',
  'ToolSettings.max_output_bytes': 'max_output_bytes: 32768',
  'ToolSettings.shell': 'shell: { allow: [python3, node], env: { PYTHONDONTWRITEBYTECODE: "1" } }',
  'ToolSettings.shell.allow': 'allow: [python3, node]',
  'ToolSettings.shell.env': 'env: { PYTHONDONTWRITEBYTECODE: "1" }',
  'ToolSettings.http': 'http: { allow_hosts: [api.github.com] }',
  'ToolSettings.http.allow_hosts': 'allow_hosts: [api.github.com, pypi.org]',
  'Action.max_tool_calls': 'max_tool_calls: 4',
  'Gate.if': "if: payload.language == 'python'",
  'OnFail.then': 'then: { route: Escalated, to: senior_reviewer }',
  'Gate.length': 'length: { min: 200, max: 20000 }',
  'Gate.length.min': 'min: 200',
  'Gate.length.max': 'max: 20000',
  'Gate.matches': "matches: '## Acceptance criteria'",
  'Gate.contains': 'contains: [Goals, Non-goals]',
  'ToolDeclaration.description': 'description: Count the words of a workspace file',
  'ToolDeclaration.parameters': 'parameters:\n  type: object\n  required: [path]\n  properties: { path: { type: string, description: Workspace-relative path } }',
  'ToolDeclaration.command': "command: { command: [wc, -w, --, '{{ args.path }}'], timeout: 10 }",
  'ToolDeclaration.http': "http: { url: 'https://api.github.com/repos/acme/app/issues/{{ args.number }}' }",
  'HttpRequestTemplate.method': 'method: POST',
  'HttpRequestTemplate.url': "url: 'https://api.github.com/repos/acme/app/issues/{{ args.number }}'",
  'HttpRequestTemplate.headers': 'headers: { Accept: application/json }',
  'HttpRequestTemplate.body': "body: '{\"query\": \"{{ args.query }}\"}'",
  'HttpRequestTemplate.timeout': 'timeout: 10',
  'McpServer.command': 'command: [node, servers/docs.mjs]',
  'McpServer.cwd': 'cwd: servers',
  'McpServer.env': 'env: { DOCS_TOKEN: "${env:DOCS_TOKEN}" }',
  'McpServer.url': 'url: http://127.0.0.1:8931/mcp',
  'McpServer.headers': 'headers: { Authorization: "Bearer ${env:DOCS_TOKEN}" }',
  'McpServer.allowed_tools': 'allowed_tools: [search, fetch]',
  'McpServer.timeout': 'timeout: 60',
  'Metadata.name': 'name: software-company',
  'Metadata.version': 'version: 1.2.0',
  'Metadata.description': 'description: From a one-line requirement to a tested repository.',
  'Metadata.requires': 'requires: ">=0.2 <1"',
  'Metadata.authors': 'authors: [Ada Lovelace <ada@example.org>]',
  'Metadata.tags': 'tags: [software, code]',
  'Input.type': 'type: integer',
  'Input.description': 'description: The one-line requirement',
  'Input.default': 'default: false',
  'Input.required': 'required: true',
  'Input.enum': 'enum: [python, javascript, go, rust]',
  'Settings.n_round': 'n_round: 14',
  'Settings.investment': 'investment: 3.0',
  'Settings.max_tokens': 'max_tokens: 200000',
  'Settings.max_concurrency': 'max_concurrency: 4',
  'Settings.templates': 'templates: handlebars',
  'Settings.model': 'model: gpt-4o',
  'Settings.max_output_attempts': 'max_output_attempts: 5',
  ModelRef: 'model: { name: llama3.1, provider: ollama, temperature: 0.2 }',
  'ModelRef.name': 'name: strong',
  'ModelRef.provider': 'provider: openai',
  'ModelRef.temperature': 'temperature: 0.2',
  'ModelRef.max_tokens': 'max_tokens: 4096',
  'MessageType.description': 'description: Product requirement document',
  'MessageType.gates': 'gates:\n  - { name: long-enough, length: { min: 200 } }\n  - use: review',
  'MessageType.schema': 'schema:\n  type: object\n  required: [approved]\n  properties:\n    approved: { type: boolean }',
  'StartMessage.type': 'type: UserRequirement',
  'StartMessage.content': 'content: "{{ inputs.idea }}"',
  'StartMessage.payload': 'payload: { rules: "{{ inputs.rules }}", strict: true }',
  'StartMessage.to': 'to: product_manager',
  'StartMessage.if': 'if: inputs.bug != ""',
  'MessageCondition.type': 'type: TestReport',
  'MessageCondition.if': 'if: payload.passed',
  'Role.profile': 'profile: Product Manager',
  'Role.goal': 'goal: Write a concise, testable PRD',
  'Role.constraints': 'constraints:\n  - Use the same language as the requirement.\n  - Keep the scope small.',
  'Role.watch': 'watch: [TaskList, TestReport]',
  'Role.react': 'react: { mode: react, max_react_loop: 3 }',
  'Role.model': 'model: { name: gpt-4o-mini, temperature: 0 }',
  'Role.memory': 'memory: { policy: window, size: 20 }',
  'Role.actions': 'actions:\n  - id: write_prd\n    prompt: "Write a PRD for: {{ message.content }}"\n    output: { type: PRD, format: json }',
  'React.mode': 'mode: plan_and_act',
  'React.max_react_loop': 'max_react_loop: 3',
  'React.max_replans': 'max_replans: 1',
  'Memory.policy': 'policy: chain',
  'Memory.size': 'size: 20',
  'When.type': 'type: [CodeWritten, CodeFixed]',
  'When.if': 'if: "!payload.passed"',
  'When.batch': 'batch: true',
  Foreach: 'foreach: { items: message.payload.tasks, concurrency: 2 }',
  'Foreach.items': 'items: message.payload.tasks',
  'Foreach.concurrency': 'concurrency: 2',
  'Output.type': 'type: PRD',
  'Output.format': 'format: json',
  'Output.language': 'language: python',
  'Output.to': 'to: engineer',
  'Output.max_attempts': 'max_attempts: 5',
  'Artifact.path': 'path: "{{ item.file }}"',
  'Artifact.content': 'content: "# {{ payload.title }}\\n\\n{{ payload.body }}"',
  'Artifact.template': 'template: { file: templates/prd.md.liquid }',
  'Artifact.foreach': 'foreach: payload.files',
  'Gate.use': 'use: review',
  'Gate.name': 'name: tests-cover-every-story',
  'Gate.assert': 'assert: size(payload.user_stories) >= 3',
  'Gate.command': 'command: { command: [python3, -m, py_compile, "{{ item.file }}"], timeout: 30 }',
  'Gate.judge': 'judge: { rubric: Every user story has testable acceptance criteria, min_score: 7 }',
  'Gate.judge.rubric': 'rubric: Every user story has testable acceptance criteria',
  'Gate.judge.min_score': 'min_score: 8',
  'Gate.judge.model': 'model: strong',
  'Gate.human': 'human: { prompt: Approve the PRD?, enabled: inputs.review }',
  'Gate.human.prompt': 'prompt: Approve the PRD before design starts?',
  'Gate.human.enabled': 'enabled: inputs.review',
  'Gate.on_fail': 'on_fail: { revise: 2 }',
  OnFail: 'on_fail: warn',
  'OnFail.revise': 'revise: 2',
  'OnFail.route': 'route: ReviewFailed',
  'CommandSpec.command': 'command: [python3, -m, unittest, discover, -s, tests]',
  'CommandSpec.cwd': 'cwd: backend',
  'CommandSpec.timeout': 'timeout: 300',
  'CommandSpec.env': 'env: { PYTHONDONTWRITEBYTECODE: "1", PROJECT: "{{ inputs.name }}" }',
  'Action.id': 'id: write_code',
  'Action.description': 'description: Write one source file per task.',
  'Action.when': 'when: { type: TestReport, if: "!payload.passed" }',
  'Action.foreach': 'foreach: message.payload.tasks',
  'Action.prompt': 'prompt: { file: prompts/write_code.liquid }',
  'Action.reads': 'reads:\n  - docs/prd.md\n  - { path: "{{ inputs.data }}", required: true }\n  - "{{ item.file }}"\n  - each: item.depends_on\n  - { glob: "src/**/*.py", max_files: 20 }',
  ReadsEntry: '- { each: item.depends_on }',
  'ReadsEntry.each': 'each: item.depends_on',
  'ReadsEntry.glob': 'glob: "src/**/*.py"',
  'ReadsEntry.max_files': 'max_files: 20',
  ReadsMaxFiles: 'max_files: 20',
  'Action.run': 'run: { command: [node, --test], timeout: 120 }',
  'Action.output': 'output: { type: CodeWritten, format: code }',
  'Action.artifacts': 'artifacts:\n  - path: docs/prd.md\n    template: { file: templates/prd.md.liquid }',
  'Action.gates': 'gates:\n  - assert: size(payload.tasks) > 0\n    on_fail: { revise: 1 }',
  'Action.tools': 'tools: [fs.read]',
  'Action.model': 'model: strong',
  'Action.max_runs': 'max_runs: 3',
  Identifier: 'id: run_tests',
  MessageTypeName: 'type: SystemDesign',
  Recipient: 'to: "{{ payload.assignee }}"',
  Template: 'content: "Write a PRD for: {{ inputs.idea }}"',
  Expression: 'if: payload.passed == false && size(payload.stderr) > 0',
  FileRef: 'template: { file: templates/prd.md.liquid }',
  'FileRef.file': 'file: prompts/write_prd.liquid',
  TemplateSource: 'prompt: |\n  Summarise: {{ message.content }}',
  // Artifacts written on a condition, and files built by appends.
  'Artifact.if': "if: payload.verdict != 'skip'",
  'Artifact.mode': 'mode: append',
  // Inputs: files, aliases, bounds; reads that must exist; checks before the model call.
  'Input.path': 'path: data/sales.csv',
  'Input.aliases': 'aliases: [idea]',
  'InputBound.input': 'input: turns',
  'Action.precondition': "precondition:\n  assert: files[inputs.data].startsWith('date,')",
  'Action.precondition.assert': "assert: files[inputs.data].startsWith('date,')",
  'Action.precondition.command': 'command: { command: [python3, scripts/check_csv.py, "{{ inputs.data }}"] }',
  'ReadsEntry.path': 'path: "{{ inputs.data }}"',
  'ReadsEntry.required': 'required: true',
};

const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const defs = schema.$defs ?? {};
const problems = [];
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(schema, 'sop');

/** `#/$defs/Name` → `Name`. */
function refName(node) {
  return typeof node?.$ref === 'string' ? node.$ref.replace('#/$defs/', '') : undefined;
}

function anchor(name) {
  return `def-${name.toLowerCase()}`;
}

function link(name) {
  return `[\`${name}\`](#${anchor(name)})`;
}

function code(value) {
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/** Placeholder for a map key, from the map's `propertyNames`. */
function keyPlaceholder(node) {
  const name = refName(node.propertyNames);
  if (name === 'MessageTypeName') return '<Type>';
  if (name === 'Identifier') return '<id>';
  return '<name>';
}

/** The type of a schema node in words, with links to definitions. */
function typeText(node) {
  if (!node || typeof node !== 'object') return 'any value';
  const name = refName(node);
  if (name) return link(name);
  if ('const' in node) return `${code(node.const)} (constant)`;
  if (node.enum) return `one of ${node.enum.map(code).join(', ')}`;
  if (node.oneOf) return node.oneOf.map(typeText).join(' or ');
  if (node.type === 'array') return `list of ${typeText(node.items)}${constraintText(node)}`;
  if (node.type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object') {
    return `map of ${code(keyPlaceholder(node))} to ${typeText(node.additionalProperties)}${constraintText(node)}`;
  }
  if (node.type === 'object') return node.properties ? 'object (fields below)' : 'object';
  if (node.type) return `${node.type}${constraintText(node)}`;
  return 'any value';
}

function constraintText(node) {
  const parts = [];
  if (node.minimum !== undefined) parts.push(`≥ ${node.minimum}`);
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (node.maximum !== undefined) parts.push(`≤ ${node.maximum}`);
  if (node.minLength === 1) parts.push('non-empty');
  else if (node.minLength !== undefined) parts.push(`at least ${node.minLength} characters`);
  if (node.minItems !== undefined) parts.push(`at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`);
  if (node.maxItems !== undefined) parts.push(`at most ${node.maxItems} items`);
  if (node.minProperties !== undefined) parts.push(`at least ${node.minProperties} entr${node.minProperties === 1 ? 'y' : 'ies'}`);
  if (node.pattern !== undefined) parts.push(`matching ${code(node.pattern)}`);
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}

/** Where each definition appears in a document, as dotted paths (`roles.<id>.actions[].when`). */
function placements() {
  const found = new Map();
  const visit = (node, path, seen) => {
    if (!node || typeof node !== 'object') return;
    const name = refName(node);
    if (name) {
      if (!found.has(name)) found.set(name, []);
      if (!found.get(name).includes(path)) found.get(name).push(path);
      if (!seen.has(name)) visit(defs[name], path, new Set([...seen, name]));
      return;
    }
    for (const alternative of node.oneOf ?? []) visit(alternative, path, seen);
    for (const [key, child] of Object.entries(node.properties ?? {})) visit(child, path ? `${path}.${key}` : key, seen);
    if (node.items) visit(node.items, `${path}[]`, seen);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') {
      visit(node.additionalProperties, `${path}.${keyPlaceholder(node)}`, seen);
    }
  };
  visit(schema, '', new Set());
  return found;
}

/** Parses an example and checks its value against the schema node at `pointer`. */
function checkedExample(key, pointer) {
  const text = EXAMPLES[key];
  if (text === undefined) {
    problems.push(`no example for ${key}: add one to EXAMPLES in scripts/gen-docs.mjs`);
    return undefined;
  }
  const parsed = YAML.parse(text);
  const value = Object.values(parsed ?? {})[0];
  const validate = ajv.getSchema(`sop${pointer}`);
  if (!validate) problems.push(`no schema at ${pointer} for the example of ${key}`);
  else if (!validate(value)) problems.push(`example for ${key} does not match the schema: ${ajv.errorsText(validate.errors)}`);
  return text;
}

function yamlBlock(text) {
  return ['```yaml', text, '```'];
}

/** The entries of an object's fields; inline objects with fields get nested entries. */
function fieldEntries(owner, node, pointer, prefix = '') {
  const lines = [];
  const required = new Set(node.required ?? []);
  for (const [field, child] of Object.entries(node.properties ?? {})) {
    const target = refName(child) ? defs[refName(child)] : child;
    const description = child.description ?? target?.description ?? '';
    const facts = [typeText(child), required.has(field) ? '**required**' : 'optional'];
    if (child.default !== undefined) facts.push(`default ${code(child.default)}`);
    lines.push(`#### \`${prefix}${field}\``, '', facts.join(' · '), '');
    if (description) lines.push(description, '');
    const example = checkedExample(`${owner}.${prefix}${field}`, `${pointer}/properties/${field}`);
    if (example) lines.push(...yamlBlock(example), '');
    if (!refName(child) && child.type === 'object' && child.properties) {
      lines.push(...fieldEntries(owner, child, `${pointer}/properties/${field}`, `${prefix}${field}.`));
    }
  }
  return lines;
}

function renderDefinition(name, node, where) {
  const lines = [`<a id="${anchor(name)}"></a>`, '', `### ${name}`, ''];
  if (node.description) lines.push(node.description, '');
  if (where?.length) lines.push(`Used at: ${where.map((path) => code(path)).join(', ')}.`, '');
  const pointer = `#/$defs/${name}`;
  if (node.oneOf) {
    lines.push('One of:', '');
    node.oneOf.forEach((alternative) => {
      const detail = alternative.description ? `: ${alternative.description}` : '';
      lines.push(`- ${alternative.properties ? 'an object with the fields below' : typeText(alternative)}${detail}`);
    });
    lines.push('');
  } else if (!node.properties) {
    lines.push(`Type: ${typeText(node)}.`, '');
  }
  if (node.oneOf || !node.properties) {
    const example = checkedExample(name, pointer);
    if (example) lines.push(...yamlBlock(example), '');
  }
  node.oneOf?.forEach((alternative, index) => {
    if (alternative.properties) lines.push(...fieldEntries(name, alternative, `${pointer}/oneOf/${index}`));
  });
  if (node.properties) lines.push(...fieldEntries(name, node, pointer));
  return lines;
}

/** Definitions in the order a reader meets them from the top of a document; plain value types last. */
function definitionOrder() {
  const order = [];
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    const name = refName(node);
    if (name) {
      if (!order.includes(name)) {
        order.push(name);
        visit(defs[name]);
      }
      return;
    }
    for (const alternative of node.oneOf ?? []) visit(alternative);
    for (const child of Object.values(node.properties ?? {})) visit(child);
    visit(node.items);
    if (typeof node.additionalProperties === 'object') visit(node.additionalProperties);
    visit(node.propertyNames);
  };
  visit(schema);
  for (const name of Object.keys(defs)) if (!order.includes(name)) order.push(name);
  const isValueType = (name) => defs[name].type === 'string' || ['FileRef', 'TemplateSource'].includes(name);
  return [...order.filter((name) => !isValueType(name)), ...order.filter(isValueType)];
}

export function generateDocs() {
  problems.length = 0;
  const where = placements();
  const order = definitionOrder();
  const lines = [
    '<!-- Generated from schemas/sop.v1.schema.json by `node scripts/gen-docs.mjs`. Do not edit by hand. -->',
    '',
    '# SOP format reference (`sop/v1`)',
    '',
    schema.description ?? '',
    '',
    'An SOP is one YAML file. Start it with',
    '`# yaml-language-server: $schema=<path to>/schemas/sop.v1.schema.json` for completion and',
    'checking in editors, and check it with `sop validate FILE`. Complete SOPs:',
    '[`sops/software-company.yaml`](../sops/software-company.yaml) and the [examples](../examples/README.md).',
    'What each template and expression can see, and how the runner executes an SOP, is in',
    '[design.md](design.md#what-templates-and-expressions-can-see).',
    '',
    'Conventions below: every field shows its type, whether it is required, its default, what it',
    'means and an example. Templates use the SOP\'s engine (Liquid by default); expressions are CEL.',
    '',
    '## Contents',
    '',
    '- [Document](#document)',
    ...order.map((name) => `- [${name}](#${anchor(name)})`),
    '',
    '## Document',
    '',
    'The top level of an SOP file.',
    '',
    ...fieldEntries('SOP', schema, '#'),
    '## Definitions',
    '',
  ];
  for (const name of order) lines.push(...renderDefinition(name, defs[name], where.get(name)));
  return { text: `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`, problems: [...problems] };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { text, problems: found } = generateDocs();
  for (const problem of found) console.error(`gen-docs: ${problem}`);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(outPath, 'utf8');
    } catch {
      current = '';
    }
    if (current !== text) console.error('docs/format.md is stale: run `node scripts/gen-docs.mjs`');
    process.exit(current !== text || found.length > 0 ? 1 : 0);
  }
  writeFileSync(outPath, text);
  if (found.length > 0) process.exit(1);
}
