/**
 * The API reference builds from the TSDoc without a warning (typedoc.json treats warnings as errors and requires every
 * exported function, class, interface, type and constant to be documented), and every exported function shows an example.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/samples.js';

interface Reflection {
  name: string;
  kind: number;
  signatures?: Array<{ comment?: { blockTags?: Array<{ tag: string }> } }>;
  children?: Reflection[];
}

const FUNCTION = 64;

test('npm run docs (TypeDoc) builds without warnings and every exported function has an @example', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-typedoc-'));
  try {
    const json = join(dir, 'api.json');
    // Throws (non-zero exit) on any warning: treatWarningsAsErrors is set in typedoc.json.
    execFileSync(process.execPath, [join(REPO, 'node_modules/typedoc/bin/typedoc'), '--json', json, '--out', join(dir, 'html')], { cwd: REPO, stdio: 'pipe' });
    const project = JSON.parse(readFileSync(json, 'utf8')) as Reflection;
    const functions = (project.children ?? []).filter((c) => c.kind === FUNCTION);
    expect(functions.length).toBeGreaterThan(10);
    const withoutExample = functions.filter((f) => !(f.signatures ?? []).some((s) => (s.comment?.blockTags ?? []).some((t) => t.tag === '@example'))).map((f) => f.name);
    expect(withoutExample).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
