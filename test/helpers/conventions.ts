// The house rules of ../shared/DESIGN.md as a pure checker: give it {path, source} pairs (paths
// relative to the repository root, '/'-separated) and it returns every violation. It parses with
// the TypeScript compiler API, so comments and strings never trigger a rule by accident.
//
// Rules (error unless noted):
//  room-imports-room          a room (scheduler dns l4lb overlay edge) imports another room
//  cmd-imports-room-internals src/cmd imports a room other than through `<room>/index.js`
//  shared-imports-room        src/kernel or src/io imports a room
//  kernel-imports-outside     src/kernel imports a repository file outside src/kernel
//  pure-imports-io            a pure file imports node:fs/net/dgram/http/https/child_process/os/
//                             worker_threads, dns2, fastify, raw-socket, src/io or a room's io/
//                             (`import type` is exempt: it has no runtime effect)
//  pure-uses-impure-global    a pure file uses Date.now, new Date() without arguments,
//                             performance.now, Math.random or process.env
//  native-addon-outside-nfqueue  code other than l4lb/io/nfqueue.ts names mesonet_native or build/Release
//  long-file (warning)        over 250 lines without a header comment saying why (the leading
//                             comment names the size, "… 250 lines …", or says "longer … because")
// Pure files: the top level of a room (except index.ts, the door that also re-exports io/) and
// everything under src/kernel; tests (*.test.ts) are exempt from the two purity rules (they may
// read fixtures and wait on clocks).
import ts from 'typescript';
import { posix } from 'node:path';

export const ROOMS = ['scheduler', 'dns', 'l4lb', 'overlay', 'edge'] as const;
export const RULES = [
  'room-imports-room', 'cmd-imports-room-internals', 'shared-imports-room', 'kernel-imports-outside',
  'pure-imports-io', 'pure-uses-impure-global', 'native-addon-outside-nfqueue', 'long-file',
] as const;
export type RuleId = (typeof RULES)[number];

export interface SourceFile {
  readonly path: string;
  readonly source: string;
}

export interface Violation {
  readonly rule: RuleId;
  readonly severity: 'error' | 'warning';
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

export const MAX_LINES = 250;
const IO_MODULES = new Set(['fs', 'net', 'dgram', 'http', 'https', 'child_process', 'os', 'worker_threads']);
const IO_PACKAGES = new Set(['dns2', 'fastify', 'raw-socket']);
const NATIVE_FILE = 'l4lb/io/nfqueue.ts';

export interface FileKind {
  readonly room: string | undefined;
  readonly kernel: boolean;
  readonly io: boolean;
  readonly cmd: boolean;
  readonly test: boolean;
  readonly pure: boolean;
}

export function classify(path: string): FileKind {
  const parts = path.split('/');
  const room = (ROOMS as readonly string[]).includes(parts[0] ?? '') ? parts[0] : undefined;
  const kernel = path.startsWith('src/kernel/');
  const io = path.startsWith('src/io/') || (room !== undefined && parts[1] === 'io');
  const test = /\.test\.ts$/.test(path);
  // A room's index.ts is its public door: it re-exports io/ (daemons) for src/cmd, so it is not pure.
  const pure = !test && (kernel || (room !== undefined && parts.length === 2 && parts[1] !== 'index.ts'));
  return { room, kernel, io, cmd: path.startsWith('src/cmd/'), test, pure };
}

interface ImportRef {
  readonly spec: string;
  readonly line: number;
  readonly typeOnly: boolean;
}

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function collectImports(sf: ts.SourceFile): ImportRef[] {
  const out: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) : node.isTypeOnly;
      out.push({ spec: node.moduleSpecifier.text, line: lineOf(sf, node), typeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      out.push({ spec: node.moduleReference.expression.text, line: lineOf(sf, node), typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0] as ts.Node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) out.push({ spec: (node.arguments[0] as ts.StringLiteral).text, line: lineOf(sf, node), typeOnly: false });
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) out.push({ spec: arg.literal.text, line: lineOf(sf, node), typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Repository path an import points at, or undefined for a package / node builtin. */
function resolveSpec(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return posix.normalize(posix.join(posix.dirname(from), spec));
}

function nodeBuiltin(spec: string): string | undefined {
  const bare = spec.replace(/^node:/, '').split('/')[0] ?? '';
  return IO_MODULES.has(bare) ? bare : undefined;
}

function impureGlobals(sf: ts.SourceFile): { what: string; line: number }[] {
  const out: { what: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const what = `${node.expression.text}.${node.name.text}`;
      if (['Date.now', 'performance.now', 'Math.random', 'process.env'].includes(what)) out.push({ what, line: lineOf(sf, node) });
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && (node.arguments?.length ?? 0) === 0) {
      out.push({ what: 'new Date()', line: lineOf(sf, node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function nativeRefs(sf: ts.SourceFile): number[] {
  const out: number[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) &&
      /mesonet_native|build\/Release/.test(node.text)) out.push(lineOf(sf, node));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function headerExplainsLength(source: string): boolean {
  const ranges = ts.getLeadingCommentRanges(source.replace(/^#!.*\n/, ''), 0) ?? [];
  const text = ranges.map((r) => source.replace(/^#!.*\n/, '').slice(r.pos, r.end)).join('\n');
  return /\b\d+\s+lines\b/i.test(text) || /\blong(er)?\b[^\n]*\bbecause\b/i.test(text);
}

const roomOf = (path: string): string | undefined => {
  const first = path.split('/')[0] ?? '';
  return (ROOMS as readonly string[]).includes(first) ? first : undefined;
};

/** Check one file. */
export function checkFile(file: SourceFile): Violation[] {
  const { path, source } = file;
  const kind = classify(path);
  const sf = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: Violation[] = [];
  const add = (rule: RuleId, line: number, message: string, severity: Violation['severity'] = 'error'): void => {
    out.push({ rule, severity, path, line, message });
  };

  for (const imp of collectImports(sf)) {
    const target = resolveSpec(path, imp.spec);
    const targetRoom = target === undefined ? undefined : roomOf(target);
    if (kind.room && targetRoom && targetRoom !== kind.room) {
      add('room-imports-room', imp.line, `${kind.room} imports ${targetRoom} (${imp.spec}); rooms share only src/kernel, src/cmd wires them`);
    }
    if (kind.cmd && targetRoom && !new RegExp(`^${targetRoom}(/index(\\.js|\\.ts)?)?$`).test(target ?? '')) {
      add('cmd-imports-room-internals', imp.line, `src/cmd imports ${imp.spec}; import a room only through ${targetRoom}/index.js`);
    }
    if ((kind.kernel || path.startsWith('src/io/')) && targetRoom) {
      add('shared-imports-room', imp.line, `${kind.kernel ? 'src/kernel' : 'src/io'} imports room ${targetRoom} (${imp.spec})`);
    }
    if (kind.kernel && target !== undefined && !target.startsWith('src/kernel/')) {
      add('kernel-imports-outside', imp.line, `src/kernel imports ${imp.spec}, outside src/kernel`);
    }
    if (kind.pure && !imp.typeOnly) {
      const builtin = nodeBuiltin(imp.spec);
      const pkg = IO_PACKAGES.has(imp.spec.split('/')[0] ?? '') ? imp.spec : undefined;
      const ioPath = target !== undefined && (target.startsWith('src/io/') || (targetRoom !== undefined && target.split('/')[1] === 'io')) ? target : undefined;
      const bad = builtin ?? pkg ?? ioPath;
      if (bad) add('pure-imports-io', imp.line, `pure file imports ${imp.spec}; side effects belong in io/`);
    }
  }

  if (kind.pure) {
    for (const g of impureGlobals(sf)) add('pure-uses-impure-global', g.line, `pure file uses ${g.what}; pass time, randomness and settings in as arguments`);
  }
  if (path !== NATIVE_FILE) {
    for (const line of nativeRefs(sf)) add('native-addon-outside-nfqueue', line, `only ${NATIVE_FILE} may load the native addon`);
  }
  const lines = source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
  if (lines > MAX_LINES && !headerExplainsLength(source)) {
    add('long-file', 1, `${lines} lines (aim ≤ ${MAX_LINES}) and no header comment saying why`, 'warning');
  }
  return out;
}

/** Check a whole tree; violations sorted by path, then line. */
export function checkConventions(files: readonly SourceFile[]): Violation[] {
  return files.flatMap(checkFile).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

export function formatViolation(v: Violation): string {
  return `${v.severity === 'warning' ? 'warning' : 'error'} ${v.rule} ${v.path}:${v.line} ${v.message}`;
}
