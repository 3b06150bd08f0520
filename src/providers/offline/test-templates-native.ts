/**
 * The idiomatic minimal test for the other languages: Go parses every `.go` file of its
 * package, Rust checks the crate has sources, Java (run with `java File.java`) checks the
 * project has Java sources, shell runs `bash -n` on every script, Ruby compiles every `.rb`
 * file (minitest), C and C++ are self-checking programs (exit status 0 on success).
 */

import type { Template } from './template-types.js';
import type { Language } from './languages.js';
import { goPackage } from './source-templates.js';
import { pascalCase } from './text-utils.js';

const go: Template = (file) => `// ${file.notice}

package ${goPackage(file)}

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoFilesParse checks that every Go file of this package parses (${file.task}).
func TestGoFilesParse(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	sources := 0
	for _, name := range names {
		if !strings.HasSuffix(name, "_test.go") {
			sources++
		}
		if _, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.AllErrors); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if sources == 0 {
		t.Error("no Go source files found")
	}
}
`;

const rust: Template = (file) => `// ${file.notice}
//! Tests for ${file.task}: the crate has Rust sources.

use std::fs;
use std::path::Path;

#[test]
fn crate_has_rust_sources() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| String::from("."));
    let src = Path::new(&root).join("src");
    let count = fs::read_dir(&src)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.path().extension().map_or(false, |ext| ext == "rs"))
                .count()
        })
        .unwrap_or(0);
    assert!(count > 0, "no Rust source files in {}", src.display());
}
`;

const java: Template = (file) => {
  const base = file.name.replace(/\.java$/i, '');
  const className = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(base) ? base : `App${pascalCase(base)}Test`;
  return `// ${file.notice}
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/** Tests for ${file.task}: the project has Java sources. Run: java ${file.name} [project folder] */
public class ${className} {
    public static void main(String[] args) throws IOException {
        Path root = Paths.get(args.length > 0 ? args[0] : ".");
        long sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files
                .filter(path -> path.toString().endsWith(".java"))
                .filter(path -> !path.getFileName().toString().endsWith("Test.java"))
                .count();
        }
        if (sources == 0) {
            throw new AssertionError("no Java source files found under " + root.toAbsolutePath());
        }
        System.out.println("ok: " + sources + " Java source files");
    }
}
`;
};

const shell: Template = (file) => `#!/usr/bin/env bash
# ${file.notice}
# Tests for ${file.task}: every shell script of the project parses (bash -n).
set -euo pipefail

here="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
root="$here"
case "$(basename "$here")" in
  tests|test) root="$(dirname "$here")" ;;
esac

status=0
count=0
while IFS= read -r -d '' script; do
  count=$((count + 1))
  if ! bash -n "$script"; then
    echo "FAIL: $script" >&2
    status=1
  fi
done < <(find "$root" -name '*.sh' -not -path '*/node_modules/*' -not -path '*/.git/*' -print0)

if [ "$count" -eq 0 ]; then
  echo "FAIL: no shell scripts found in $root" >&2
  exit 1
fi
echo "checked $count shell scripts"
exit "$status"
`;

const ruby: Template = (file) => `# ${file.notice}
# Tests for ${file.task}: every Ruby file of the project compiles.
require "minitest/autorun"

class ProjectCompilesTest < Minitest::Test
  HERE = File.expand_path(__dir__)
  ROOT = %w[test tests].include?(File.basename(HERE)) ? File.dirname(HERE) : HERE

  def ruby_files
    Dir.glob(File.join(ROOT, "**", "*.rb")).reject { |path| path.include?("/vendor/") }
  end

  def test_project_has_ruby_files
    refute_empty ruby_files
  end

  def test_every_ruby_file_compiles
    ruby_files.each do |path|
      RubyVM::InstructionSequence.compile_file(path)
    end
  end
end
`;

const c: Template = (file) => `// ${file.notice}
// Tests for ${file.task}: a self-checking program (exit status 0 on success).
#include <assert.h>
#include <stdio.h>
#include <string.h>

static const char *const TASK = "${file.task}";

int main(void) {
    assert(strlen(TASK) > 0);
    puts("ok");
    return 0;
}
`;

const cpp: Template = (file) => `// ${file.notice}
// Tests for ${file.task}: a self-checking program (exit status 0 on success).
#include <cassert>
#include <iostream>
#include <string>

int main() {
    const std::string task = "${file.task}";
    assert(!task.empty());
    std::cout << "ok" << std::endl;
    return 0;
}
`;

export const NATIVE_TEST_TEMPLATES: Partial<Record<Language, Template>> = { go, rust, java, shell, ruby, c, cpp };
