// Types for @babel/code-frame (the package ships none; only what the CLI uses).
declare module '@babel/code-frame' {
  export interface SourcePosition {
    line: number;
    column?: number;
  }
  export interface SourceLocation {
    start: SourcePosition;
    end?: SourcePosition;
  }
  export interface CodeFrameOptions {
    highlightCode?: boolean;
    linesAbove?: number;
    linesBelow?: number;
    message?: string;
  }
  export function codeFrameColumns(rawLines: string, location: SourceLocation, options?: CodeFrameOptions): string;
}
