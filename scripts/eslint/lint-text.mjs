// Lints source text as if it sat at a given path, with the configuration of the current folder:
//   echo '[{"filePath": "...", "code": "..."}]' | node scripts/eslint/lint-text.mjs
// Prints one array of "<rule>: <message>" per input. Used by module-boundaries.spec.ts (jest
// cannot load ESLint's ESM configuration inside its own module system).
import { ESLint } from 'eslint';

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
