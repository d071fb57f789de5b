import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_NODE_VERSION } from './constants';
import { nodeVersionProblem } from './node-version';

describe('nodeVersionProblem', () => {
  it.each(['24.11.0', '24.21.0', '25.0.0', '26.10.1'])('accepts %s', (version) => {
    expect(nodeVersionProblem(version)).toBeUndefined();
  });

  it.each(['20.20.2', '22.12.0', '24.10.9', '23.99.0'])('refuses %s, saying what to run instead', (version) => {
    expect(nodeVersionProblem(version)).toBe(
      `Node ${version} is too old: this server needs Node >= 24.11.0 (24 LTS). ` +
        'Start it with `npm start`, which uses the Node 24 that `npm install` installed, or install Node 24.',
    );
  });

  it('agrees with package.json: engines, and the pinned node devDependency that npm scripts run on', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      engines: { node: string };
      devDependencies: { node: string };
    };
    expect(pkg.engines.node).toBe(`>=${MIN_NODE_VERSION}`);
    expect(nodeVersionProblem(pkg.devDependencies.node)).toBeUndefined();
  });

  it('the tests themselves run on a supported Node', () => {
    expect(nodeVersionProblem()).toBeUndefined();
  });
});
