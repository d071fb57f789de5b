import { nodeVersionProblem } from './common/node-version';

// main.ts imports this first, so an old Node stops here with a message instead of failing later
// inside a dependency. `npm start` never gets here on an old system Node: npm scripts run the Node
// 24 that `npm install` put in node_modules/.bin (the `node` devDependency).
const problem = nodeVersionProblem();
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
