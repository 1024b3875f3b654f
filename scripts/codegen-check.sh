#!/usr/bin/env bash
# Fails when codegen.yml no longer matches schema/subgraphs.ts, or when the resolver types
# regenerated from every subgraph SDL differ from what is committed (modified, deleted or new
# files under any __generated__ folder).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "codegen:check needs a git work tree to compare the generated files with" >&2
  exit 1
fi

node --import tsx scripts/codegenConfig.ts --check
npx graphql-codegen --config codegen.yml

changes="$(git status --porcelain --untracked-files=all -- '**/__generated__/**')"
if [ -n "$changes" ]; then
  echo "generated resolver types are stale: run npm run codegen" >&2
  echo "$changes" >&2
  git --no-pager diff --stat -- '**/__generated__/**' >&2
  exit 1
fi

echo "generated resolver types are up to date"
