import { MIN_NODE_VERSION } from './constants';

/** Why `version` cannot run this server, or undefined when it can. */
export function nodeVersionProblem(version: string = process.versions.node): string | undefined {
  const [major, minor, patch] = version.split('.').map(Number);
  const [minMajor, minMinor, minPatch] = MIN_NODE_VERSION.split('.').map(Number);
  const supported = major !== minMajor ? major > minMajor : minor !== minMinor ? minor > minMinor : patch >= minPatch;
  if (supported) return undefined;
  return (
    `Node ${version} is too old: this server needs Node >= ${MIN_NODE_VERSION} (24 LTS). ` +
    'Start it with `npm start`, which uses the Node 24 that `npm install` installed, or install Node 24.'
  );
}
