import { existsSync, readFileSync, rmSync } from 'node:fs';
import { Client } from 'pg';
import { contractReport } from '../support/contract-report';
import { TEST_ENV } from '../support/test-environment';
import { runState } from './global-setup';

/** Drops every database the run created (even those a crashed suite left) and lists skipped suites. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env[TEST_ENV.runId];
  const adminUrl = process.env[TEST_ENV.adminUrl];
  if (process.env[TEST_ENV.kind] === 'postgres' && runId && adminUrl) {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE $1 || '\\_%'",
        [runId],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  await runState.testEmbeddedDatabase?.stop();

  const skippedFile = process.env[TEST_ENV.skippedFile];
  if (skippedFile && existsSync(skippedFile)) {
    const skipped = [...new Set(readFileSync(skippedFile, 'utf8').split('\n').filter(Boolean))];
    process.stdout.write(`\nSkipped on the embedded database (need PostgreSQL):\n${skipped.map((s) => `  - ${s}`).join('\n')}\n`);
    rmSync(skippedFile, { force: true });
  }

  const contractReportFile = process.env[TEST_ENV.contractReportFile];
  if (contractReportFile) {
    process.stdout.write(`\n${contractReport(contractReportFile)}`);
    rmSync(contractReportFile, { force: true });
  }
}
