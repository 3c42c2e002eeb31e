// Lints source text as if it sat at a given path, with the configuration of the current folder:
//   echo '[{"filePath": "...", "code": "..."}]' | node scripts/eslint/lint-text.mjs
// Prints one array of "<rule>: <message>" per input. Used by module-boundaries.spec.ts (jest
// cannot load ESLint's ESM configuration inside its own module system).
import { execFileSync } from 'node:child_process';
import { ESLint } from 'eslint';

// @nx/enforce-module-boundaries reads Nx's cached project graph and prints a warning to stdout
// (skipping the rule) when there is none, as on a fresh clone: make the graph first.
execFileSync('node_modules/.bin/nx', ['show', 'projects'], {
  stdio: 'ignore',
  env: { ...process.env, NX_DAEMON: 'false' },
});

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const inputs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const { filePath, code } of inputs) {
  const [result] = await eslint.lintText(code, { filePath });
  out.push(result.messages.map((m) => `${m.ruleId}: ${m.message}`));
}
process.stdout.write(JSON.stringify(out));
