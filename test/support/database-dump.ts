import { Client } from 'pg';

/**
 * Every row of every table in the public schema as text (`row::text`: bytea columns appear as hex,
 * jsonb as JSON), for searching a database for something that must not be in it.
 */
export async function dumpDatabase(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    const parts: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
      parts.push(`-- ${name}`, ...rows.rows.map((row) => row.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

/** The forms a secret could be stored or logged in: as is, base64, base64url, hex (either case). */
export function encodingsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const hex = bytes.toString('hex');
  return [secret, bytes.toString('base64'), bytes.toString('base64url'), hex, hex.toUpperCase()];
}
