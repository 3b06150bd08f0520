/** The scripted model (`--model script:FILE`): script loading, matching and the model itself. */

export { answerPlace, checkAnswers, loadScript, parseScript, SCRIPT_SCHEMA, type AnswerPlace, type Script } from './load-script.js';
export { ScriptBook, answerKind, type ScriptCall } from './match.js';
export { createScriptedModel, decisionOf, type ScriptedModel } from './scripted-model.js';
export type { ScriptHints } from './hints.js';
export type { SopScript, Answer } from './script.types.generated.js';
