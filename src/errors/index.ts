export { CODES, EXIT, EXIT_CODE_TABLE, type ErrorCode } from './codes.js';
export { SopError, eachError, isSopError, formatDiagnostic, exitCodeOf, type Diagnostic, type Severity } from './sop-error.js';
export { isStackOverflow } from './stack-overflow.js';
export { SHOWN_PROBLEMS, firstProblems, moreProblems, plural, withThousands } from './shown-problems.js';
export { listenError } from './listen-error.js';
