import { SaxesParser } from 'saxes';

/** A JUnit test case as a CI tool reads it. */
export interface ParsedCase {
  classname: string;
  name: string;
  time: string;
  failure?: ParsedProblem;
  /** Surefire's earlier failed runs of a failing test. */
  rerunFailures?: ParsedProblem[];
  /** Surefire's failed runs of a test that passed in the end. */
  flakyFailures?: ParsedProblem[];
  systemOut?: string;
}

export interface ParsedProblem {
  message: string;
  type: string;
  /** The element's text (`<failure>`), or its `<stackTrace>` (rerun elements). */
  text: string;
}

const RERUN_LISTS = { rerunFailure: 'rerunFailures', flakyFailure: 'flakyFailures' } as const;

export interface ParsedSuite {
  attributes: Record<string, string>;
  cases: ParsedCase[];
}

export interface ParsedJunit {
  attributes: Record<string, string>;
  suites: ParsedSuite[];
}

/**
 * Parses JUnit XML with a strict, well-formedness-checking parser (saxes, as jsdom uses): any
 * unescaped `<`, `&`, bad character or unclosed element throws. Only the JUnit elements are read.
 */
export function parseJunit(xml: string): ParsedJunit {
  const parser = new SaxesParser({ xmlns: false });
  const result: ParsedJunit = { attributes: {}, suites: [] };
  const open: string[] = [];
  let text = '';
  let failure: ParsedProblem | undefined;
  let error: Error | undefined;
  parser.on('error', (problem) => {
    error ??= problem;
  });
  parser.on('opentag', (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    const parent = open[open.length - 1];
    open.push(tag.name);
    text = '';
    if (tag.name === 'testsuites') result.attributes = attributes;
    else if (tag.name === 'testsuite' && parent === 'testsuites') result.suites.push({ attributes, cases: [] });
    else if (tag.name === 'testcase' && parent === 'testsuite') {
      currentSuite().cases.push({ classname: attributes['classname'] ?? '', name: attributes['name'] ?? '', time: attributes['time'] ?? '' });
    } else if ((tag.name === 'failure' || tag.name in RERUN_LISTS) && parent === 'testcase') failure = { message: attributes['message'] ?? '', type: attributes['type'] ?? '', text: '' };
    else if (tag.name !== 'system-out' && !(tag.name === 'stackTrace' && parent !== undefined && parent in RERUN_LISTS)) throw new Error(`unexpected element <${tag.name}> inside <${parent ?? '(root)'}>`);
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.on('closetag', (tag) => {
    open.pop();
    const test = currentSuite().cases[currentSuite().cases.length - 1];
    if (tag.name === 'failure' && failure && test) {
      test.failure = { ...failure, text };
      failure = undefined;
    } else if (tag.name === 'stackTrace' && failure) failure.text = text;
    else if (tag.name in RERUN_LISTS && failure && test) {
      const list = RERUN_LISTS[tag.name as keyof typeof RERUN_LISTS];
      (test[list] ??= []).push(failure);
      failure = undefined;
    } else if (tag.name === 'system-out' && test) test.systemOut = text;
  });
  function currentSuite(): ParsedSuite {
    const suite = result.suites[result.suites.length - 1];
    if (!suite) throw new Error('element outside a <testsuite>');
    return suite;
  }
  parser.write(xml).close();
  if (error) throw error;
  return result;
}

/** Every test case, with its suite's name. */
export function allCases(junit: ParsedJunit): Array<ParsedCase & { suite: string }> {
  return junit.suites.flatMap((suite) => suite.cases.map((test) => ({ ...test, suite: suite.attributes['name'] ?? '' })));
}
