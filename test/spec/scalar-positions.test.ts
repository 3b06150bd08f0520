import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, sopWithActions as sop, validateText } from './helpers.js';

afterAll(cleanTempDirs);

// A misspelt variable (`inptus.X`) is located at its first character in the file, whatever the
// style of the scalar its template or expression is written in: the value `yaml` reads is not the
// text written (folding joins lines, escapes change lengths and add line breaks).

async function positions(text: string): Promise<Array<{ code: string; line?: number; column?: number }>> {
  const result = await validateText(text);
  return errors(result).map(({ code, line, column }) => ({ code, line, column }));
}

describe('templates located through every scalar style', () => {
  test('folded `>-`: the variable on the second line, not past the end of the first', async () => {
    const text = sop(`      - id: a
        prompt: >-
          Folded text line one
          and then {{ inptus.idea }} here
        output: { type: Doc }
`);
    expect(await positions(text)).toEqual([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.idea') }]);
  });

  test('double-quoted with `\\n`, `\\t`, `\\"` and `\\u00e9` escapes: on the scalar\'s line, at the variable', async () => {
    const text = sop(`      - id: b
        prompt: "Line one\\n\\tand \\"caf\\u00e9\\" {{ inptus.x }}"
        output: { type: Doc }
`);
    expect(await positions(text)).toEqual([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.x') }]);
  });

  test('double-quoted over several lines: folded line breaks, an escaped line break, blank lines', async () => {
    const text = sop(`      - id: c
        prompt: "First line
          second {{ message.content }} \\
          joined

          after a blank line {{ inptus.c }}"
        output: { type: Doc }
`);
    expect(await positions(text)).toEqual([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.c') }]);
  });

  test('plain over several lines', async () => {
    const text = sop(`      - id: d
        prompt: Plain first line
            indented more {{ message.content }}

          then {{ inptus.d }}
        output: { type: Doc }
`);
    expect(await positions(text)).toEqual([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.d') }]);
  });

  test('single-quoted with `\'\'` escapes, over two lines', async () => {
    const text = sop(`      - id: e
        prompt: 'It''s the writer''s turn:
          write {{ inptus.e }}'
        output: { type: Doc }
`);
    expect(await positions(text)).toEqual([{ code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.e') }]);
  });

  test('on one line: plain, single-quoted with `\'\'` and double-quoted with `\\\\` (an escape shifts the columns after it)', async () => {
    const text = sop(`      - id: p
        prompt: Plain {{ inptus.p }}
        output: { type: Doc }
      - id: q
        prompt: 'It''s {{ inptus.q }}'
        output: { type: Doc }
      - id: r
        prompt: "a \\\\ b {{ inptus.r }}"
        output: { type: Doc }
`);
    expect(await positions(text)).toEqual(['inptus.p', 'inptus.q', 'inptus.r'].map((name) => ({ code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(text, name) })));
  });

  test('literal `|` and folded `>` with an indentation indicator, keep chomping and more-indented lines', async () => {
    const text = sop(`      - id: f
        prompt: |
          Literal {{ message.content }}
            indented {{ inptus.f }}
        output: { type: Doc }
      - id: g
        prompt: >2+
             more indented {{ message.content }}
           folded
           into one {{ inptus.g }} line

        output: { type: Doc }
`);
    expect(await positions(text)).toEqual([
      { code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.f') },
      { code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.g') },
    ]);
  });

  test('scalars inside a flow mapping: double-quoted with escapes, single-quoted and plain over two lines', async () => {
    const text = sop(`      - { id: h, prompt: "Tab\\there \\"{{ inptus.h }}\\"", output: { type: Doc } }
      - { id: i, prompt: 'Single in a flow map,
          then {{ inptus.i }}', output: { type: Doc } }
      - { id: l, when: { if: inputs.idea != 'x'
            && inptus.l == 'y' }, prompt: Write, output: { type: Doc } }
`);
    expect(await positions(text)).toEqual([
      { code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.h') },
      { code: 'TEMPLATE_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.i') },
      { code: 'EXPRESSION_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.l') },
    ]);
  });

  test('a CEL expression in a double-quoted scalar with escapes, and in a folded one', async () => {
    const text = sop(`      - id: j
        when: { if: "inputs.idea != \\"caf\\u00e9\\" && inptus.j == 'x'" }
        prompt: Write
        output: { type: Doc }
      - id: k
        when:
          if: >-
            inputs.idea != 'x'
            && inptus.k == 'y'
        prompt: Write
        output: { type: Doc }
`);
    expect(await positions(text)).toEqual([
      { code: 'EXPRESSION_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.j') },
      { code: 'EXPRESSION_VARIABLE_UNKNOWN', ...positionOf(text, 'inptus.k') },
    ]);
  });
});
