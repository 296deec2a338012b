/**
 * The layer rules in eslint.config.js bite: fixtures with a wrong import are linted with the project's own config
 * under a path inside the layer, and must fail with the rule's message; the allowed imports must pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const root = path.resolve(__dirname, '../..');
const fixture = (name: string) => fs.readFileSync(path.join(root, 'test/fixtures/layers', name), 'utf8');

/** The project's own flat config, passed in (ESLint's loader uses a dynamic import, which jest's VM refuses). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const projectConfig = require('../../eslint.config.js') as Linter.Config[];

// The fixture is not a file of the TypeScript project, so lint it without type information (the layer rules need none).
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [...projectConfig, { files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
});

async function layerMessages(name: string, virtualPath: string): Promise<string[]> {
  const [result] = await eslint.lintText(fixture(name), { filePath: path.join(root, virtualPath) });
  const errors = result.messages.filter((m) => m.severity === 2);
  // Anything but the layer rule failing would make the "passes" cases pass for the wrong reason.
  expect(errors.filter((m) => m.ruleId !== 'no-restricted-imports')).toEqual([]);
  return errors.map((m) => m.message);
}

describe('layer rules', () => {
  it('refuses an activity import in lib/', async () => {
    expect(await layerMessages('lib-imports-activity.ts', 'lib/layer-fixture.ts')).toEqual([
      expect.stringContaining('lib/ is the bottom layer'),
    ]);
  });

  it('lets lib/ import lib/', async () => {
    expect(await layerMessages('lib-imports-lib.ts', 'lib/layer-fixture.ts')).toEqual([]);
  });

  it('refuses a database model in workflows/', async () => {
    expect(await layerMessages('workflow-imports-model.ts', 'workflows/layer-fixture.ts')).toEqual([
      expect.stringContaining('Workflows import nothing of the API, the database or the workers'),
    ]);
  });

  it('lets workflows/ import activity types', async () => {
    expect(await layerMessages('workflow-imports-activity-types.ts', 'workflows/layer-fixture.ts')).toEqual([]);
  });

  it('refuses a model class in db/repositories/, and keeps the rules of db/ there', async () => {
    expect(await layerMessages('repository-imports-model.ts', 'db/repositories/layer-fixture.ts')).toEqual([
      expect.stringContaining('Repositories query the models of the handle they are given'),
      expect.stringContaining('Repositories query the models of the handle they are given'),
      expect.stringContaining('db/ may import lib/ only'),
    ]);
  });

  it('lets db/repositories/ name models and the handle as types', async () => {
    expect(await layerMessages('repository-imports-model-types.ts', 'db/repositories/layer-fixture.ts')).toEqual([]);
  });

  it('refuses an activity module in the API', async () => {
    expect(await layerMessages('api-imports-activity.ts', 'api/services/layer-fixture.ts')).toEqual([
      expect.stringContaining('The API may use only the storage port of activities'),
    ]);
  });

  it('lets the API use the storage port', async () => {
    expect(await layerMessages('api-imports-storage.ts', 'api/services/layer-fixture.ts')).toEqual([]);
  });
});
