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
 * folder; nothing imports them back except `cli`.
 */
export const apiAllowed = {
  actions: ['auth', 'common', 'org'],
  analytics: ['actions', 'auth', 'common', 'org', 'surveys'],
  auth: ['common', 'config', 'org'],
  comments: ['auth', 'common', 'notifications', 'responses', 'sealing', 'surveys'],
  common: ['config'],
  config: [],
  demo: ['auth', 'config', 'responses', 'sealing', 'surveys'],
  health: ['auth', 'config', 'observability'],
  notifications: ['auth', 'common', 'config', 'surveys'],
  observability: ['auth', 'common', 'config'],
  org: ['auth', 'common', 'config'],
  responses: ['auth', 'common', 'org', 'sealing', 'surveys'],
  sealing: ['config', 'surveys'],
  surveys: [
    'analytics',
    'auth',
    'comments',
    'common',
    'config',
    'notifications',
    'org',
    'responses',
    'sealing',
  ],
};

const composers = ['cli', 'database'];
const rootFiles = ['app.module.ts', 'create-app.ts', 'main.ts'];

export function apiDomainZones() {
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
