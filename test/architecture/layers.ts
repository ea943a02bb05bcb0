import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/** One import: the importing file and what it names (a repo-relative path, or a package / `node:` name). */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

/** A layering rule: files matching `from` must not import anything `forbidden` says yes to. */
interface Rule {
  readonly name: string;
  readonly from: (file: string) => boolean;
  readonly forbidden: (target: string) => boolean;
}

const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);

/**
 * Which way the layers point. The contract is the floor: it imports nothing. The domain sits on
 * it and knows no transport, AWS, service, HTTP or security code, nor errors with HTTP statuses. lib/ (the CDK app) knows the
 * handler only by its path and shares facts through the contract. The HTTP edge (lambda/http,
 * handler.ts) sits on the services; nothing below it imports it. Nothing in lambda/ reaches
 * into lambda/local (the `npm start` server and its helpers).
 */
export const RULES: readonly Rule[] = [
  {
    name: 'lib/ imports lambda runtime code (only lambda/contract is shared)',
    from: under('lib'),
    forbidden: (t) => under('lambda')(t) && !under('lambda/contract')(t),
  },
  {
    name: 'lambda/domain imports an outer layer',
    from: under('lambda/domain'),
    forbidden: (t) =>
      ['upstream', 'aws', 'app', 'http', 'security', 'local'].some((l) => under(`lambda/${l}`)(t)) || t === 'lambda/handler.ts',
  },
  {
    name: 'lambda/domain imports the HTTP-status errors (it throws its own, lambda/domain/errors.ts; the edge maps them)',
    from: under('lambda/domain'),
    forbidden: (t) => t === 'lambda/errors.ts',
  },
  {
    name: 'a service layer (app, upstream, aws, security, protocol) imports the HTTP edge',
    from: (f) => ['app', 'upstream', 'aws', 'security', 'protocol'].some((l) => under(`lambda/${l}`)(f)),
    forbidden: (t) => under('lambda/http')(t) || t === 'lambda/handler.ts',
  },
  {
    name: 'lambda/ runtime imports lambda/local',
    from: (f) => under('lambda')(f) && !under('lambda/local')(f),
    forbidden: under('lambda/local'),
  },
  {
    name: 'lambda/contract imports something outside itself',
    from: under('lambda/contract'),
    forbidden: (t) => !under('lambda/contract')(t),
  },
];

/** Every rule an edge breaks, as `from → to: rule` lines. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  return edges.flatMap((edge) =>
    RULES.filter((rule) => rule.from(edge.from) && rule.forbidden(edge.to)).map((rule) => `${edge.from} → ${edge.to}: ${rule.name}`),
  );
}

/** The import edges of every .ts file under `folders` (type-only, re-exports and dynamic imports included). */
export function importEdges(root: string, folders: readonly string[]): ImportEdge[] {
  return folders
    .flatMap((folder) => tsFiles(join(root, folder)))
    .flatMap((file) => {
      const from = toRepoPath(root, file);
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      return importedFiles.map(({ fileName }) => ({ from, to: resolveTarget(from, fileName) }));
    });
}

/** `../errors.js` seen from `lambda/aws/region.ts` → `lambda/errors.ts`; packages stay as named. */
export function resolveTarget(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
  return joined.replace(/\.js$/, '.ts');
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function toRepoPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}
