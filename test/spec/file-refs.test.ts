import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { validateSopFile } from '../../src/spec/index.js';
import { cleanTempDirs, errors, positionOf, tempDir, validateText, VALID_SOP, writeFiles } from './helpers.js';

afterAll(cleanTempDirs);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const withPromptFile = (file: string) =>
  VALID_SOP.replace('        prompt: "Summarize {{ message.content }}"\n', `        prompt: { file: ${file} }\n`);

describe('prompt and template files', () => {
  test('a prompt file is read, located at its own line 1, and fingerprinted', async () => {
    const prompt = 'Summarize:\n{{ message.content }}\n';
    const result = await validateText(withPromptFile('prompts/summarize.liquid'), { 'prompts/summarize.liquid': prompt });
    expect(errors(result)).toEqual([]);
    const action = result.sop!.roles[0]!.actions[0]!;
    const absolute = path.join(result.dir, 'prompts/summarize.liquid');
    expect(action.prompt).toEqual({ text: prompt, origin: { file: absolute, line: 1, column: 1, pointer: '/roles/writer/actions/0/prompt', lineOffset: 0 } });
    expect(result.sop!.referencedFiles).toEqual({ [absolute]: sha256(prompt) });
  });

  test('files are shown relative to cwd when the SOP was given relatively', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sops/sop.yaml': withPromptFile('p.md'), 'sops/p.md': '{{ message.contnet }}' });
    const result = await validateSopFile('sops/sop.yaml', { cwd: dir });
    expect(errors(result)).toMatchObject([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', file: path.join('sops', 'p.md'), line: 1, column: 4 }]);
  });

  test('an artifact template file becomes the artifact content', async () => {
    const text = VALID_SOP.replace('        output: { type: Summary }\n', '        output: { type: Summary }\n        artifacts: [{ path: out.md, template: { file: t/out.md } }]\n');
    const result = await validateText(text, { 't/out.md': '# {{ output }}\n' });
    expect(errors(result)).toEqual([]);
    expect(result.sop!.roles[0]!.actions[0]!.artifacts[0]!.content.text).toBe('# {{ output }}\n');
  });

  test('a missing file is FILE_REF_NOT_FOUND at the `file` field', async () => {
    const text = withPromptFile('prompts/missing.md');
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'FILE_REF_NOT_FOUND', pointer: '/roles/writer/actions/0/prompt/file', ...positionOf(text, 'prompts/missing.md') }]);
  });

  test.each(['../outside.md', 'prompts/../../outside.md', '/etc/hostname'])('`%s` leaving the SOP folder is FILE_REF_ESCAPE', async (file) => {
    const text = withPromptFile(file);
    const result = await validateText(text);
    expect(errors(result)).toMatchObject([{ code: 'FILE_REF_ESCAPE', ...positionOf(text, file) }]);
  });

  test('a symlink leading outside the SOP folder is FILE_REF_ESCAPE', async () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'secret.md'), 'secret');
    const dir = tempDir();
    writeFiles(dir, { 'sop.yaml': withPromptFile('prompts/link.md') });
    mkdirSync(path.join(dir, 'prompts'));
    symlinkSync(path.join(outside, 'secret.md'), path.join(dir, 'prompts/link.md'));
    const result = await validateSopFile(path.join(dir, 'sop.yaml'));
    expect(errors(result)).toMatchObject([{ code: 'FILE_REF_ESCAPE', pointer: '/roles/writer/actions/0/prompt/file' }]);
    expect(errors(result)[0]?.message).toContain('symlink');
  });

  test('a symlink staying inside the SOP folder is fine', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sop.yaml': withPromptFile('link.md'), 'real/p.md': 'Hello {{ message.content }}' });
    symlinkSync(path.join(dir, 'real/p.md'), path.join(dir, 'link.md'));
    const result = await validateSopFile(path.join(dir, 'sop.yaml'));
    expect(errors(result)).toEqual([]);
  });

  test('a folder is FILE_REF_INVALID', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sop.yaml': withPromptFile('prompts'), 'prompts/x.md': 'x' });
    const result = await validateSopFile(path.join(dir, 'sop.yaml'));
    expect(errors(result)).toMatchObject([{ code: 'FILE_REF_INVALID' }]);
  });
});

describe('$ref in message schemas', () => {
  const withSchema = (schema: string) => VALID_SOP.replace('Summary: { description: a summary }', `Summary:\n    schema: ${schema}`);

  test('file refs are inlined recursively; internal refs of the SOP schema stay', async () => {
    const text = withSchema('{ type: object, properties: { title: { $ref: "schemas/common.json#/$defs/Title" }, self: { $ref: "#/properties/title" }, tasks: { $ref: schemas/tasks.json } } }');
    const common = JSON.stringify({ $defs: { Title: { type: 'string', minLength: 1 } } });
    const tasks = JSON.stringify({ type: 'array', items: { $ref: '#/$defs/Task' }, $defs: { Task: { type: 'object', properties: { name: { $ref: 'common.json#/$defs/Title' } } } } });
    const result = await validateText(text, { 'schemas/common.json': common, 'schemas/tasks.json': tasks });
    expect(errors(result)).toEqual([]);
    const schema = result.sop!.messages.Summary!.schema!;
    expect(schema).toEqual({
      type: 'object',
      properties: {
        title: { type: 'string', minLength: 1 },
        self: { $ref: '#/properties/title' },
        tasks: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string', minLength: 1 } } },
          $defs: { Task: { type: 'object', properties: { name: { type: 'string', minLength: 1 } } } },
        },
      },
    });
    expect(Object.values(result.sop!.referencedFiles).sort()).toEqual([sha256(common), sha256(tasks)].sort());
  });

  test('a schema that is only a file ref keeps that file\'s internal refs (recursive schemas work)', async () => {
    const tree = { type: 'object', properties: { children: { type: 'array', items: { $ref: '#' } } } };
    const result = await validateText(withSchema('{ $ref: schemas/tree.json }'), { 'schemas/tree.json': JSON.stringify(tree) });
    expect(errors(result)).toEqual([]);
    expect(result.sop!.messages.Summary!.schema).toEqual(tree);
  });

  test('sibling keywords next to a file ref are kept with allOf', async () => {
    const result = await validateText(withSchema('{ $ref: s.json, description: mine }'), { 's.json': '{"type":"string"}' });
    expect(result.sop!.messages.Summary!.schema).toEqual({ description: 'mine', allOf: [{ type: 'string' }] });
  });

  test('a schema file that is not valid JSON is located in that file, where the JSON breaks (not at the $ref with "at position N")', async () => {
    const broken = '{ "type": "object",\n  "properties": { "title": { "type": "string", } }\n}\n';
    const result = await validateText(withSchema('{ $ref: schemas/s.json }'), { 'schemas/s.json': broken });
    expect(errors(result)).toMatchObject([{ code: 'FILE_REF_INVALID', file: path.join(result.dir, 'schemas', 's.json'), ...positionOf(broken, '} }') }]);
    expect(errors(result)[0]?.message).not.toMatch(/position/);
    const cut = await validateText(withSchema('{ $ref: schemas/s.json }'), { 'schemas/s.json': '{ "type": "object",\n  "required": ["a"]\n' });
    expect(errors(cut)).toMatchObject([{ code: 'FILE_REF_INVALID', line: 2, column: 20 }]);
  });

  test('a cycle between files is refused, not followed forever', async () => {
    const text = withSchema('{ type: object, properties: { a: { $ref: a.json } } }');
    const result = await validateText(text, {
      'a.json': JSON.stringify({ type: 'object', properties: { b: { $ref: 'b.json' } } }),
      'b.json': JSON.stringify({ type: 'object', properties: { a: { $ref: 'a.json' } } }),
    });
    expect(errors(result)).toMatchObject([{ code: 'FILE_REF_INVALID', pointer: '/messages/Summary/schema/properties/a/$ref', ...positionOf(text, 'a.json') }]);
    expect(errors(result)[0]?.message).toContain('circular');
  });

  test('escaping, missing, unparsable and URL refs are refused at the $ref (the unparsable one located in its file, so sorted after the SOP\'s)', async () => {
    const text = withSchema('{ type: object, properties: { a: { $ref: ../x.json }, b: { $ref: nope.json }, c: { $ref: bad.json }, d: { $ref: "https://example.com/s.json" }, e: { $ref: "ok.json#/nothing" } } }');
    const result = await validateText(text, { 'bad.json': '{ not json', 'ok.json': '{}' });
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer])).toEqual([
      ['FILE_REF_ESCAPE', '/messages/Summary/schema/properties/a/$ref'],
      ['FILE_REF_NOT_FOUND', '/messages/Summary/schema/properties/b/$ref'],
      ['FILE_REF_INVALID', '/messages/Summary/schema/properties/d/$ref'],
      ['FILE_REF_INVALID', '/messages/Summary/schema/properties/e/$ref'],
      ['FILE_REF_INVALID', '/messages/Summary/schema/properties/c/$ref'],
    ]);
  });

  test('a referenced schema that is invalid is PAYLOAD_SCHEMA_INVALID', async () => {
    const result = await validateText(withSchema('{ $ref: s.yaml }'), { 's.yaml': 'type: objekt\n' });
    expect(errors(result)).toMatchObject([{ code: 'PAYLOAD_SCHEMA_INVALID', pointer: '/messages/Summary/schema/type' }]);
  });
});
