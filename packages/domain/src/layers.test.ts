// Keeps the layers apart: apps → domain → db, tRPC only in router files, and the browser apps
// taking nothing but types from the domain. A failure names the file and the import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (name === 'node_modules' || name === 'generated' || name === 'dist') {
      continue;
    }
    if (statSync(full).isDirectory()) {
      found.push(...sourceFiles(full));
    } else if (/\.tsx?$/.test(name)) {
      found.push(full);
    }
  }

  return found;
}

interface ImportLine {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

function importsOf(folder: string): ImportLine[] {
  const pattern = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm;

  return sourceFiles(path.join(root, folder)).flatMap((file) => {
    const text = readFileSync(file, 'utf8');

    return [...text.matchAll(pattern)].map((match) => ({
      file: path.relative(root, file),
      specifier: match[3]!,
      typeOnly: Boolean(match[2]),
    }));
  });
}

function violations(lines: ImportLine[], forbidden: (line: ImportLine) => boolean): string[] {
  return lines.filter(forbidden).map((line) => `${line.file} imports ${line.specifier}`);
}

describe('layer boundaries', () => {
  it('keeps the db package free of domain and app imports', () => {
    const found = violations(importsOf('packages/db/src'), (line) =>
      /^@ts\/(domain|api|web|admin)/.test(line.specifier) || line.specifier.includes('/apps/'));
    expect(found).toEqual([]);
  });

  it('keeps the domain free of app, HTTP and React imports', () => {
    const found = violations(importsOf('packages/domain/src'), (line) =>
      /^(@ts\/(api|web|admin)|fastify|@fastify\/|react|react-dom)($|\/)/.test(line.specifier) ||
      line.specifier.includes('/apps/'));
    expect(found).toEqual([]);
  });

  it('uses tRPC only in router files of the domain', () => {
    // The error table may name tRPC's code type, since it maps domain codes onto them.
    const allowed = /(^|\/)(router|trpc|index)\.ts$|\/routers\/|\/testing\//;
    const found = violations(importsOf('packages/domain/src'), (line) =>
      line.specifier.startsWith('@trpc/') && !line.typeOnly && !allowed.test(line.file) &&
      !line.file.endsWith('.test.ts'));
    expect(found).toEqual([]);
  });

  it('lets the browser apps take only types from the domain', () => {
    const lines = [...importsOf('apps/web/src'), ...importsOf('apps/admin/src'), ...importsOf('packages/ui/src')];
    const found = violations(lines, (line) =>
      (line.specifier.startsWith('@ts/domain') || line.specifier.startsWith('@ts/db')) && !line.typeOnly);
    expect(found).toEqual([]);
  });
});
