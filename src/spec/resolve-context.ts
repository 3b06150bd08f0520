import type { DiagnosticSink } from './diagnostic-sink.js';
import type { FileRefReader } from './file-refs.js';
import { joinPointer } from './pointer.js';
import type { ExpressionText, ResolvedModelRef, SourceOrigin, TemplateText } from './resolved.js';
import type { SourceMap } from './source-map.js';
import type { FileRef, ModelRef } from './sop.types.generated.js';

/** What resolution needs to turn fields into located templates and expressions. */
export class ResolveContext {
  constructor(
    readonly file: string,
    readonly sourceMap: SourceMap,
    readonly sink: DiagnosticSink,
    readonly reader: FileRefReader,
  ) {}

  /** The origin of the scalar at `pointer`. */
  origin(pointer: string): SourceOrigin {
    return this.sourceMap.origin(pointer, this.file);
  }

  template(text: string, pointer: string): TemplateText {
    return { text, origin: this.origin(pointer) };
  }

  expression(source: string, pointer: string): ExpressionText {
    return { source, origin: this.origin(pointer) };
  }

  /**
   * A template given inline or as `{ file: path }`. A file that cannot be read is reported (at the
   * `file` field) and resolves to an empty template, so the other checks still run.
   */
  async templateSource(source: string | FileRef, pointer: string): Promise<TemplateText> {
    if (typeof source === 'string') return this.template(source, pointer);
    const filePointer = joinPointer(pointer, 'file');
    const result = await this.reader.read(source.file);
    if (!result.ok) {
      this.sink.error(result.problem.code, filePointer, result.problem.message, { hint: result.problem.hint });
      return { text: '', origin: this.origin(filePointer) };
    }
    return { text: result.file.text, origin: { file: result.file.display, line: 1, column: 1, pointer, lineOffset: 0 } };
  }
}

/** `gpt-4o` → `{ name: 'gpt-4o' }`; objects keep their parameters. */
export function resolveModelRef(model: ModelRef | undefined): ResolvedModelRef | undefined {
  if (model === undefined) return undefined;
  if (typeof model === 'string') return { name: model, provider: undefined, temperature: undefined, maxTokens: undefined };
  return { name: model.name, provider: model.provider, temperature: model.temperature, maxTokens: model.max_tokens };
}
