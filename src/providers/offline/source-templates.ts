/**
 * Source templates for compiled and shell-like languages: Go, Rust, Java, C, C++, shell, Ruby.
 * Each one compiles and runs on its own; where several files share a namespace (Go package,
 * Rust crate), only the entry file (`main.go`, `main.rs`) gets a `main`, the others a function
 * named after the file so they never clash.
 */

import type { SourceFile, Template } from './template-types.js';
import type { Language } from './languages.js';
import { camelCase, pascalCase } from './text-utils.js';

function folders(file: SourceFile): string[] {
  return file.path.split(/[\\/]/).slice(0, -1).filter((part) => part !== '' && part !== '.');
}

/** `main` at the project root and under cmd/; else the folder's name, as Go requires. */
export function goPackage(file: SourceFile): string {
  const parts = folders(file);
  const last = parts[parts.length - 1];
  if (!last || parts.includes('cmd') || file.stem === 'main') return 'main';
  return last.toLowerCase().replace(/[^a-z0-9]/g, '') || 'main';
}

const go: Template = (file) => {
  const pkg = goPackage(file);
  if (file.stem === 'main' || (pkg === 'main' && folders(file).includes('cmd'))) {
    return `// ${file.notice}

// Package main: ${file.task}.
package main

import (
	"fmt"
	"os"
	"strings"
)

// task is what this program is about.
const task = "${file.task}"

// summarize returns the task followed by the given words, as one line.
func summarize(words []string) string {
	text := strings.TrimSpace(strings.Join(words, " "))
	if text == "" {
		return task
	}
	return task + ": " + text
}

func main() {
	fmt.Println(summarize(os.Args[1:]))
}
`;
  }
  const name = camelCase(file.stem) || 'file';
  return `// ${file.notice}

package ${pkg}

// ${name}Topic returns what ${file.name} is about: ${file.task}.
func ${name}Topic() string {
	return "${file.name}: ${file.task}"
}
`;
};

const rust: Template = (file) => {
  const parts = folders(file);
  const entry = file.stem === 'main' || parts.includes('bin') || !parts.includes('src');
  const visibility = entry ? '' : 'pub ';
  const body = `// ${file.notice}
//! ${file.name}: ${file.task}.

/// What this ${entry ? 'program' : 'module'} is about.
${visibility}const TASK: &str = "${file.task}";

/// Returns the task followed by the given words, as one line.
${visibility}fn summarize(words: &[String]) -> String {
    let joined = words.join(" ");
    let text = joined.trim();
    if text.is_empty() {
        TASK.to_string()
    } else {
        format!("{}: {}", TASK, text)
    }
}
`;
  if (!entry) return body;
  return `${body}
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!("{}", summarize(&args));
}
`;
};

/** Java's class name is the file's name; its package follows the folders after `java/`. */
function javaHeader(file: SourceFile): { className: string; packageLine: string } {
  const base = file.name.replace(/\.java$/i, '');
  const className = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(base) ? base : `App${pascalCase(base)}`;
  const parts = folders(file);
  const javaAt = parts.lastIndexOf('java');
  const packageParts = javaAt >= 0 ? parts.slice(javaAt + 1) : [];
  const valid = packageParts.length > 0 && packageParts.every((part) => /^[a-z_][a-z0-9_]*$/.test(part));
  return { className, packageLine: valid ? `package ${packageParts.join('.')};\n\n` : '' };
}

const java: Template = (file) => {
  const { className, packageLine } = javaHeader(file);
  return `// ${file.notice}
${packageLine}/** ${file.name}: ${file.task}. */
public class ${className} {
    /** What this program is about. */
    static final String TASK = "${file.task}";

    /** Returns the task followed by the given words, as one line. */
    static String summarize(String[] words) {
        String text = String.join(" ", words).trim();
        return text.isEmpty() ? TASK : TASK + ": " + text;
    }

    public static void main(String[] args) {
        System.out.println(summarize(args));
    }
}
`;
};

function guard(file: SourceFile): string {
  return `${file.stem.toUpperCase()}_${file.name.endsWith('.h') ? 'H' : 'HPP'}`.replace(/[^A-Z0-9_]/g, '_');
}

const c: Template = (file) => {
  if (/\.h$/i.test(file.name)) {
    return `// ${file.notice}
// ${file.name}: ${file.task}.
#ifndef ${guard(file)}
#define ${guard(file)}

/* Prints the task followed by the given words, as one line. */
void ${file.stem}_summarize(int count, char **words);

#endif
`;
  }
  return `// ${file.notice}
// ${file.name}: ${file.task}.
#include <stdio.h>

/* What this program is about. */
static const char *const TASK = "${file.task}";

/* Prints the task followed by the given words, as one line. */
static void summarize(int count, char **words) {
    fputs(TASK, stdout);
    for (int index = 0; index < count; index += 1) {
        fputs(index == 0 ? ": " : " ", stdout);
        fputs(words[index], stdout);
    }
    fputc('\\n', stdout);
}

int main(int argc, char **argv) {
    summarize(argc - 1, argv + 1);
    return 0;
}
`;
};

const cpp: Template = (file) => {
  if (/\.(hpp|hh|hxx|h)$/i.test(file.name)) {
    return `// ${file.notice}
// ${file.name}: ${file.task}.
#ifndef ${guard(file)}
#define ${guard(file)}

#include <string>
#include <vector>

// Returns the task followed by the given words, as one line.
std::string summarize(const std::vector<std::string>& words);

#endif
`;
  }
  return `// ${file.notice}
// ${file.name}: ${file.task}.
#include <iostream>
#include <string>
#include <vector>

namespace {

// What this program is about.
const std::string kTask = "${file.task}";

// Returns the task followed by the given words, as one line.
std::string summarize(const std::vector<std::string>& words) {
    std::string text;
    for (const std::string& word : words) {
        text += (text.empty() ? "" : " ") + word;
    }
    return text.empty() ? kTask : kTask + ": " + text;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    std::cout << summarize(words) << std::endl;
    return 0;
}
`;
};

const shell: Template = (file) => `#!/usr/bin/env bash
# ${file.notice}
# ${file.name}: ${file.task}.
set -euo pipefail

TASK="${file.task}"

# Prints the task followed by the given words, as one line.
summarize() {
  if [ "$#" -eq 0 ]; then
    printf '%s\\n' "$TASK"
  else
    printf '%s: %s\\n' "$TASK" "$*"
  fi
}

summarize "$@"
`;

const ruby: Template = (file) => `# ${file.notice}
# ${file.name}: ${file.task}.

# What this program is about.
TASK = "${file.task}".freeze

# Returns the task followed by the given words, as one line.
def summarize(words)
  text = words.map(&:strip).reject(&:empty?).join(" ")
  text.empty? ? TASK : "#{TASK}: #{text}"
end

puts summarize(ARGV) if __FILE__ == $PROGRAM_NAME
`;

export const NATIVE_SOURCE_TEMPLATES: Partial<Record<Language, Template>> = { go, rust, java, c, cpp, shell, ruby };
