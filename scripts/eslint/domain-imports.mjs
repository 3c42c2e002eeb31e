// ESLint rule `ketenlink/domain-imports` (docs/adr/0006-module-boundaries.md): a domain folder
// (services/<svc>/src/domain/, or a type:domain library) imports only
//   - files of its own domain folder (relative imports that stay inside it),
//   - @ketenlink/* libraries tagged type:contracts, type:domain or type:util (pure libraries).
// Nothing else: not its service's application/, infrastructure/ or api/ folders, not a
// data-access or framework-bound library (messaging, persistence, http, auth, …), no npm package.
// Which library has which tag is read from tsconfig.base.json "paths" and each library's
// project.json, so a new type:util library (e.g. libs/dates) is allowed without editing this file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ALLOWED_LIBRARY_TAGS = ['type:contracts', 'type:domain', 'type:util'];

function projectTagsOf(file) {
  for (let dir = path.dirname(file); dir.startsWith(ROOT); dir = path.dirname(dir)) {
    const pj = path.join(dir, 'project.json');
    if (existsSync(pj)) return JSON.parse(readFileSync(pj, 'utf8')).tags ?? [];
    if (dir === ROOT) break;
  }
  return [];
}

/** Alias → tags of the library it points at. */
function libraryTags() {
  const { compilerOptions } = JSON.parse(
    readFileSync(path.join(ROOT, 'tsconfig.base.json'), 'utf8'),
  );
  const tags = new Map();
  for (const [alias, [target]] of Object.entries(compilerOptions.paths ?? {})) {
    tags.set(alias, projectTagsOf(path.join(ROOT, target)));
  }
  return tags;
}

/** The domain folder a file belongs to: `…/src/domain` of a service, or a domain lib's `src`. */
function domainRootOf(filename) {
  const parts = filename.split(path.sep);
  const i = parts.lastIndexOf('domain');
  if (i > 0 && parts[i - 1] === 'src') return parts.slice(0, i + 1).join(path.sep);
  const j = parts.lastIndexOf('src');
  return j > 0 ? parts.slice(0, j + 1).join(path.sep) : path.dirname(filename);
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Domain code imports only its own domain, contracts and pure libraries.' },
    messages: {
      outside:
        "Domain code imports only its own domain folder: '{{source}}' leaves it (ports belong in the domain or application layer; infrastructure implements them).",
      library:
        "Domain code may import only libraries tagged {{allowed}}: '{{source}}' is tagged {{tags}}.",
      package:
        "Domain code is plain TypeScript: no package imports ('{{source}}'); wrap what you need in a type:util library.",
    },
    schema: [],
  },
  create(context) {
    const filename = context.filename;
    const domainRoot = domainRootOf(filename);
    const tags = libraryTags();
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const resolved = path.resolve(path.dirname(filename), source);
        if (resolved !== domainRoot && !resolved.startsWith(domainRoot + path.sep)) {
          context.report({ node, messageId: 'outside', data: { source } });
        }
        return;
      }
      if (source.startsWith('@ketenlink/')) {
        const alias = source.split('/').slice(0, 2).join('/');
        const libTags = tags.get(alias) ?? [];
        if (!libTags.some((t) => ALLOWED_LIBRARY_TAGS.includes(t))) {
          context.report({
            node,
            messageId: 'library',
            data: {
              source,
              allowed: ALLOWED_LIBRARY_TAGS.join(', '),
              tags:
                libTags.filter((t) => t.startsWith('type:')).join(', ') || 'nothing (no project)',
            },
          });
        }
        return;
      }
      context.report({ node, messageId: 'package', data: { source } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        check(node, node.moduleReference.expression.value),
      CallExpression: (node) =>
        node.callee.type === 'Identifier' &&
        node.callee.name === 'require' &&
        node.arguments[0]?.type === 'Literal' &&
        check(node, node.arguments[0].value),
    };
  },
};

export default { rules: { 'domain-imports': rule } };
