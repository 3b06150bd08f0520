import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText, VALID_SOP } from './helpers.js';

afterAll(cleanTempDirs);

/** No diagnostic may pass JavaScript's stack overflow on to the user. */
function noStackOverflow(result: { diagnostics: Array<{ message: string }> }): void {
  expect(result.diagnostics.map((diagnostic) => diagnostic.message).join('\n')).not.toMatch(/call stack/i);
}

function withCondition(condition: string): string {
  return VALID_SOP.replace('      - id: summarize\n', `      - id: summarize\n        when: { if: "${condition}" }\n`);
}

describe('expressions nested deeper than can be checked', () => {
  test.each([
    ['a long `!` chain (deeper than the parser can recurse)', `${'!'.repeat(20000)}true`],
    ['a `!` chain that parses but is deeper than the checker can follow', `${'!'.repeat(400)}true`],
    ['a long `&&` chain', Array(20000).fill('true').join(' && ')],
    ['a long `-` chain', `${'-'.repeat(20000)}1 > 0`],
  ])('%s is one located EXPRESSION_SYNTAX', async (_name, condition) => {
    const text = withCondition(condition);
    const result = await validateText(text);
    noStackOverflow(result);
    expect(errors(result)).toMatchObject([
      { code: 'EXPRESSION_SYNTAX', message: expect.stringContaining('nests too deeply (more than 250 levels'), pointer: '/roles/writer/actions/0/when/if',
        ...positionOf(text, condition.slice(0, 10)) },
    ]);
  });

  test('ordinary conditions are far from the limit', async () => {
    const result = await validateText(withCondition(Array(60).fill("content != 'x'").join(' && ')));
    expect(result.diagnostics).toEqual([]);
  });
});

describe('templates nested deeper than the engines can read', () => {
  const nested = (engine: string, levels: number): string =>
    engine === 'liquid' ? `${'{% if message %}'.repeat(levels)}x${'{% endif %}'.repeat(levels)}` : `${'{{#if message}}'.repeat(levels)}x${'{{/if}}'.repeat(levels)}`;
  const withPrompt = (engine: string, prompt: string): string =>
    VALID_SOP.replace('stop_when:', `settings: { templates: ${engine} }\nstop_when:`).replace('"Summarize {{ message.content }}"', `"${prompt}"`);

  test.each(['liquid', 'handlebars'])('%s: blocks nested thousands deep are one located TEMPLATE_SYNTAX', async (engine) => {
    const prompt = nested(engine, 5000);
    const text = withPrompt(engine, prompt);
    const result = await validateText(text);
    noStackOverflow(result);
    expect(errors(result)).toMatchObject([
      { code: 'TEMPLATE_SYNTAX', message: 'the template nests blocks too deeply to be read (more than 100 levels)', pointer: '/roles/writer/actions/0/prompt',
        line: positionOf(text, prompt.slice(0, 12)).line },
    ]);
  });

  test.each(['liquid', 'handlebars'])('%s: 100 levels are still read', async (engine) => {
    const result = await validateText(withPrompt(engine, nested(engine, 100)));
    expect(result.diagnostics).toEqual([]);
  });
});

describe('payload schemas whose $ref leads back to itself', () => {
  function withSchema(schema: string): string {
    return VALID_SOP.replace('  Summary: { description: a summary }', `  Summary:\n    description: a summary\n    schema:\n${schema}`);
  }

  test.each([
    ['the schema refers to itself (`$ref: "#"`)', '      $ref: "#"', '"#"'],
    ['a definition refers to itself', '      $defs: { a: { $ref: "#/$defs/a" } }\n      $ref: "#/$defs/a"', '"#/$defs/a" }'],
    ['two definitions refer to each other through allOf', '      $defs:\n        a: { allOf: [{ $ref: "#/$defs/b" }] }\n        b: { $ref: "#/$defs/a" }\n      type: object\n      properties: { x: { $ref: "#/$defs/a" } }', '"#/$defs/a" }'],
  ])('%s: PAYLOAD_SCHEMA_INVALID at the $ref', async (_name, schema, at) => {
    const text = withSchema(schema);
    const result = await validateText(text);
    noStackOverflow(result);
    expect(errors(result)).toMatchObject([
      { code: 'PAYLOAD_SCHEMA_INVALID', message: expect.stringContaining('leads back to itself'), ...positionOf(text, at) },
    ]);
    expect(errors(result)[0]?.hint).toContain('through a property or item');
  });

  test('recursion through a property is a valid schema', async () => {
    const schema = '      $defs:\n        Node: { type: object, properties: { children: { type: array, items: { $ref: "#/$defs/Node" } } } }\n      $ref: "#/$defs/Node"';
    const result = await validateText(withSchema(schema));
    // Only the warning that this SOP's text output leaves the schema unchecked (SCHEMA_UNUSED).
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['SCHEMA_UNUSED']);
  });
});
