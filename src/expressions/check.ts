import { createRequire } from 'node:module';
import type { Environment as CelEnvironment } from '@marcbachmann/cel-js';
import type { ExpressionText } from '../spec/resolved.js';
import { didYouMean } from '../spec/suggest.js';
import { expressionExcerpt } from './excerpt.js';

/** What a static check of a CEL expression found, before anything runs. */
export interface ExpressionCheck {
  /** The type the expression gives (`bool`, `int`, `list<int>`, `dyn` when it depends on the data). */
  type?: string;
  /** A problem that makes every evaluation fail: an unknown function, operands that never fit. */
  problem?: {
    message: string;
    hint: string;
    /** 0-based offset inside the expression. */
    offset?: number;
    /** The unknown function's name, when that is the problem. */
    unknownFunction?: string;
  };
}

const require = createRequire(import.meta.url);
/**
 * Every variable is `dyn`, so a list literal mixing a literal with a variable (`['notes.md',
 * inputs.data]`) has elements of two static types: CEL's default (cel-go's too) unifies them to
 * `dyn`; cel-js's homogeneous check would refuse what every run could evaluate.
 */
export const CEL_OPTIONS = { unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false } as const;

let environment: CelEnvironment | undefined;
let functionNames: string[] | undefined;

/** Every variable is `dyn`: the check finds what fails whatever the data (unknown functions, `"a" + 1`). */
function celEnvironment(): CelEnvironment {
  if (!environment) {
    const { Environment } = require('@marcbachmann/cel-js') as { Environment: new (options: object) => CelEnvironment };
    environment = new Environment(CEL_OPTIONS);
  }
  return environment;
}

/** Names of the functions and macros CEL knows (`size`, `startsWith`, `exists`, ...). */
function celFunctionNames(): string[] {
  functionNames ??= [...new Set(celEnvironment().getDefinitions().functions.map((definition) => definition.name))];
  return functionNames;
}

/**
 * Type-checks an expression that already parses, with every variable `dyn`. Finds calls to
 * functions CEL does not have and operations whose operand types can never match, and gives the
 * result type so a place expecting a boolean or a list can refuse `42` before the run.
 */
export function checkExpression(expression: ExpressionText): ExpressionCheck {
  const result = celEnvironment().check(expression.source);
  if (result.valid) return { type: result.type };
  const error = result.error as Error & { node?: { pos?: number } };
  const message = (error.message.split('\n')[0] ?? error.message).trim();
  const called = /found no matching overload for '(?:[^']*\.)?([A-Za-z_]\w*)\(/.exec(message)?.[1];
  if (called && !celFunctionNames().includes(called)) {
    const at = new RegExp(`(?<![\\w])${called}\\s*\\(`).exec(expression.source)?.index;
    return {
      problem: {
        message: `unknown function \`${called}\``,
        hint: suggestion(called),
        ...(at !== undefined ? { offset: at } : error.node?.pos !== undefined ? { offset: error.node.pos } : {}),
        unknownFunction: called,
      },
    };
  }
  return {
    problem: {
      message: `expression \`${expressionExcerpt(expression.source, error.node?.pos)}\` cannot work: ${message}`,
      hint: 'check the types on each side (CEL does not convert: `int(x)`, `string(x)`, `double(x)` do)',
      ...(error.node?.pos !== undefined ? { offset: error.node.pos } : {}),
    },
  };
}

const COMMON_FUNCTIONS = 'size, contains, startsWith, endsWith, matches, lowerAscii, upperAscii, trim, split, join, int, double, string, has, all, exists, exists_one, map, filter';

function suggestion(name: string): string {
  return didYouMean(name, celFunctionNames()) ?? `CEL functions include ${COMMON_FUNCTIONS} (https://cel.dev)`;
}
