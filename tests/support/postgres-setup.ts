import { POSTGRES_ADMIN_URL, postgresReachable } from '../../scripts/stack/test-database.js';

/**
 * The `postgres` project needs a server; scripts/test-summary.mjs leaves the project out
 * (and says "skipped" in the summary) when none answers, so reaching here without one is
 * a run started by hand.
 */
export async function setup(): Promise<void> {
  if (!(await postgresReachable())) {
    throw new Error(`no PostgreSQL answers at ${POSTGRES_ADMIN_URL.replace(/\/\/[^@]*@/, '//…@')} (TEST_POSTGRES_URL); run with --project sqlite`);
  }
}
