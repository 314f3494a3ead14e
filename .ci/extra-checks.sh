# Sourced by .ci/run after the build: release checks (issue: versioned releases).
step "release --dry-run (pack, publint --strict, attw, ESM+CJS consumer, pnpm publish --dry-run)" pnpm -s release --dry-run
step "changeset status" pnpm -s changeset status
step "changeset version dry run bumps exactly the named package and its dependents" node scripts/check-changeset-version.mjs @rail/track
