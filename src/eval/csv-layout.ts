/**
 * Where each record and cell of a CSV text starts (1-based line and column), for messages: the CSV
 * parser gives values and the line a record ends on, not where a cell starts, nor where a quoted
 * cell that is never closed was opened (it reports the end of the file). Same rules as the parser's
 * settings in dataset.ts: `,` between cells, `"` quotes a cell, `""` is a quote inside one, empty
 * lines hold no record, a leading byte order mark is not a column. Lines are counted as an editor
 * shows them (`\r\n`, `\n` and `\r` each end one).
 */

/** A 1-based line and column. */
interface CsvPlace {
  line: number;
  column: number;
}

export interface CsvRecordLayout {
  /** Where the record starts: its first cell. */
  start: CsvPlace;
  /** The line its last cell ends on (a quoted cell may hold line breaks). */
  endLine: number;
  cells: CsvPlace[];
}

export interface CsvLayout {
  records: CsvRecordLayout[];
  /** The opening quote of a quoted cell the text ends inside of. */
  unclosedQuote?: CsvPlace;
}

export function csvLayout(input: string): CsvLayout {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvRecordLayout[] = [];
  let line = 1;
  let column = 1;
  let index = 0;
  /** Moves past one character; `\r\n` ends one line. */
  const advance = (): void => {
    const char = text[index];
    index += 1;
    if (char === '\n' || (char === '\r' && text[index] !== '\n')) {
      line += 1;
      column = 1;
    } else if (char !== '\r' && !startsPair(char, text[index])) {
      // Columns count characters: an emoji's first half is no column (its second half is).
      column += 1;
    }
  };
  // Records end at the kind of line break seen first, as the parser decides (another kind is text in a cell).
  const delimiter = /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
  const atLineBreak = (): boolean => text.startsWith(delimiter, index);
  const skipLineBreak = (): void => {
    for (let char = 0; char < delimiter.length; char += 1) advance();
  };
  while (index < text.length) {
    if (atLineBreak()) {
      skipLineBreak(); // an empty line: no record
      continue;
    }
    const record: CsvRecordLayout = { start: { line, column }, endLine: line, cells: [] };
    records.push(record);
    for (;;) {
      record.cells.push({ line, column });
      if (text[index] === '"') {
        const opened = { line, column };
        advance();
        for (;;) {
          if (index >= text.length) return { records, unclosedQuote: opened };
          if (text[index] === '"' && text[index + 1] === '"') {
            advance();
            advance();
          } else if (text[index] === '"') {
            advance();
            break;
          } else {
            advance();
          }
        }
      }
      // The rest of the cell (all of an unquoted one; what follows a closing quote is the parser's to refuse).
      while (index < text.length && text[index] !== ',' && !atLineBreak()) advance();
      record.endLine = line;
      if (text[index] === ',') {
        advance();
        continue;
      }
      if (index < text.length) skipLineBreak();
      break;
    }
  }
  return { records };
}

/** The record that holds `line` (a record may span lines), if any. */
export function recordAtLine(layout: CsvLayout, line: number): CsvRecordLayout | undefined {
  return layout.records.find((record) => record.start.line <= line && line <= record.endLine);
}

function startsPair(char: string | undefined, next: string | undefined): boolean {
  const unit = char?.charCodeAt(0) ?? 0;
  const after = next?.charCodeAt(0) ?? 0;
  return unit >= 0xd800 && unit <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}
