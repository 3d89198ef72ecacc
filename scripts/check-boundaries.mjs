// Proves that lint catches what ADR 0014 forbids: writes small probe files that break each rule,
// lints them with the project's own eslint.config.mjs, and fails unless every probe is reported
// by the expected rule. Run by `npm run lint` after `eslint .`; the probes are always removed.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { apiAllowed, findLoop } from './boundaries.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tag = `__boundary_probe_${process.pid}`;

/** Each probe: files to write, the file whose report counts, the rule that must report it. */
const probes = [
  {
    name: 'an import cycle (API)',
    files: {
      [`apps/api/src/common/${tag}_a.ts`]: `import { b } from './${tag}_b';\nexport const a = (): number => b() + 1;\n`,
      [`apps/api/src/common/${tag}_b.ts`]: `import { a } from './${tag}_a';\nexport const b = (): number => (a.length > 1 ? 0 : 1);\n`,
    },
    check: `apps/api/src/common/${tag}_a.ts`,
    rule: 'import-x/no-cycle',
  },
  {
    name: 'an import cycle (web)',
    files: {
      [`apps/web/src/lib/${tag}_a.ts`]: `import { b } from './${tag}_b';\nexport const a = (): number => b() + 1;\n`,
      [`apps/web/src/lib/${tag}_b.ts`]: `import { a } from './${tag}_a';\nexport const b = (): number => (a.length > 1 ? 0 : 1);\n`,
    },
    check: `apps/web/src/lib/${tag}_b.ts`,
    rule: 'import-x/no-cycle',
  },
  {
    name: 'a web feature importing another feature',
    files: {
      [`apps/web/src/features/compare/${tag}.ts`]: `import { usePooledTrend } from '../team-trends/api';\nexport const probe = usePooledTrend;\n`,
    },
    check: `apps/web/src/features/compare/${tag}.ts`,
    rule: 'import-x/no-restricted-paths',
  },
  {
    name: 'shared web code importing a feature',
    files: {
      [`apps/web/src/components/${tag}.ts`]: `import { usePooledTrend } from '../features/team-trends/api';\nexport const probe = usePooledTrend;\n`,
    },
    check: `apps/web/src/components/${tag}.ts`,
    rule: 'import-x/no-restricted-paths',
  },
  {
    name: 'an API domain importing a domain outside its allowed list',
    files: {
      [`apps/api/src/org/${tag}.ts`]: `import { CycleInvitee } from '../surveys/survey.entities';\nexport const probe = CycleInvitee;\n`,
    },
    check: `apps/api/src/org/${tag}.ts`,
    rule: 'import-x/no-restricted-paths',
  },
  {
    name: 'a contracts module importing the contracts index',
    files: {
      [`libs/contracts/src/${tag}.ts`]: `import type { InstrumentId } from './index';\nexport type Probe = InstrumentId;\n`,
    },
    check: `libs/contracts/src/${tag}.ts`,
    rule: 'no-restricted-imports',
  },
];

const written = probes.flatMap((probe) => Object.keys(probe.files));
let failures = 0;
try {
  for (const probe of probes) {
    for (const [path, text] of Object.entries(probe.files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  }
  const eslint = new ESLint({ cwd: root });
  const results = await eslint.lintFiles(probes.map((probe) => probe.check));
  for (const probe of probes) {
    const result = results.find((r) => r.filePath === join(root, probe.check));
    const hit = result?.messages.some((m) => m.ruleId === probe.rule && m.severity === 2);
    if (hit) {
      console.log(`ok   lint rejects ${probe.name} (${probe.rule})`);
    } else {
      failures += 1;
      const seen = (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`).join('; ') || 'no errors';
      console.error(`FAIL lint accepted ${probe.name}: expected ${probe.rule}, got ${seen}`);
    }
  }
} finally {
  for (const path of written) rmSync(join(root, path), { force: true });
}
// The API map itself must be one-way: a pair allowed both ways (or a longer loop) is refused,
// and the check that refuses it must see a planted loop.
const mapChecks = [
  ['the API import map (scripts/boundaries.mjs) is one-way', findLoop(apiAllowed) === null],
  ['a map allowing a pair both ways is caught', findLoop({ a: ['b'], b: ['a'] })?.join(' ') === 'a b a'],
  ['a map with a three-folder loop is caught', findLoop({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }) !== null],
];
for (const [name, ok] of mapChecks) {
  if (ok) console.log(`ok   ${name}`);
  else {
    failures += 1;
    console.error(`FAIL ${name}${name.startsWith('the API') ? `: ${findLoop(apiAllowed).join(' → ')}` : ''}`);
  }
}
const total = probes.length + mapChecks.length;
console.log(`${total - failures} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
