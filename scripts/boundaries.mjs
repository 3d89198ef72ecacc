// Import boundaries between web features and between API domains (ADR 0014), read by
// eslint.config.mjs as `import-x/no-restricted-paths` zones. Change the maps here, in one
// place, and say why in the commit: an arrow added is a dependency the architecture takes on.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folders = (dir) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

const web = 'apps/web/src';

/**
 * A web feature imports shared code only: components/, lib/, the libs. Never another feature,
 * never the app shell (app/ composes features, not the other way round). components/ and lib/
 * import neither features nor app/.
 */
/**
 * The one allowed import between features: the home page shows a director's overview above the
 * surveys and loads it lazily (its own chunk). Reorganised with the director feature (issue 13).
 */
export const webFeatureExceptions = { home: ['director'] };

export function webFeatureZones() {
  const features = folders(`${web}/features`);
  const zones = features.map((feature) => ({
    target: join(root, web, 'features', feature),
    from: [
      ...features
        .filter((other) => other !== feature && !(webFeatureExceptions[feature] ?? []).includes(other))
        .map((other) => join(root, web, 'features', other)),
      join(root, web, 'app'),
    ],
    message: 'A feature imports only components/, lib/ and the libs; move what two features share there.',
  }));
  for (const shared of ['components', 'lib']) {
    zones.push({
      target: join(root, web, shared),
      from: [join(root, web, 'features'), join(root, web, 'app')],
      message: 'Shared web code never imports a feature or the app shell.',
    });
  }
  return zones;
}

const api = 'apps/api/src';

/**
 * Which API folders each API folder may import. `database` (entity and migration registry),
 * `cli` and the root files (app.module, create-app, main) compose the app and may import any
 * folder; nothing imports them back except `cli`. The map is one-way (a DAG, checked below and by
 * scripts/check-boundaries.mjs): no two folders may import each other, directly or round a loop.
 * `kernel` holds the entities many domains hang rows off (people, groups, teams, schedules,
 * cycles) and imports nothing; `surveys` calls analytics, comments, responses and sealing when a
 * cycle closes, so none of those may import `surveys`.
 */
export const apiAllowed = {
  actions: ['auth', 'common', 'kernel'],
  analytics: ['actions', 'auth', 'common', 'kernel'],
  auth: ['common', 'config', 'kernel'],
  comments: ['auth', 'common', 'kernel', 'notifications', 'responses', 'sealing'],
  common: ['config'],
  config: [],
  demo: ['auth', 'config', 'kernel', 'responses', 'sealing', 'surveys'],
  health: ['auth', 'config', 'observability'],
  kernel: [],
  notifications: ['auth', 'common', 'config', 'kernel'],
  observability: ['auth', 'common', 'config'],
  org: ['auth', 'common', 'config', 'kernel'],
  responses: ['auth', 'common', 'kernel', 'sealing'],
  sealing: ['config', 'kernel'],
  surveys: [
    'analytics',
    'auth',
    'comments',
    'common',
    'config',
    'kernel',
    'notifications',
    'responses',
    'sealing',
  ],
};

/**
 * The first loop in an import map (`[a, b, …, a]`), or null when it is one-way. Two folders
 * allowed to import each other are the shortest loop.
 */
export function findLoop(allowed) {
  const state = new Map(); // folder → 'open' while on the path, 'done' once all below it are seen
  const path = [];
  const visit = (folder) => {
    if (state.get(folder) === 'done') return null;
    if (state.get(folder) === 'open') return [...path.slice(path.indexOf(folder)), folder];
    state.set(folder, 'open');
    path.push(folder);
    for (const next of allowed[folder] ?? []) {
      const loop = visit(next);
      if (loop) return loop;
    }
    path.pop();
    state.set(folder, 'done');
    return null;
  };
  for (const folder of Object.keys(allowed).sort()) {
    const loop = visit(folder);
    if (loop) return loop;
  }
  return null;
}

const composers = ['cli', 'database'];
const rootFiles = ['app.module.ts', 'create-app.ts', 'main.ts'];

export function apiDomainZones() {
  const loop = findLoop(apiAllowed);
  if (loop)
    throw new Error(`scripts/boundaries.mjs: apiAllowed must be one-way, it loops: ${loop.join(' → ')}`);
  const all = folders(api);
  const zones = [];
  for (const domain of all) {
    if (composers.includes(domain)) continue;
    const allowed = apiAllowed[domain];
    if (!allowed) throw new Error(`scripts/boundaries.mjs: add the new API folder "${domain}" to apiAllowed`);
    const forbidden = all.filter((other) => other !== domain && !allowed.includes(other));
    zones.push({
      target: join(root, api, domain),
      from: [
        ...forbidden.map((other) => join(root, api, other)),
        ...rootFiles.map((f) => join(root, api, f)),
      ],
      message: `API folder "${domain}" may import only ${allowed.join(', ')} (scripts/boundaries.mjs).`,
    });
  }
  return zones;
}
