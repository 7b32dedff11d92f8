import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { creatorKey } from '../domain/creator-key.js';
import { KeyedMutex, Mutex } from '../mutex.js';
import { GuildStore } from './guild-store.js';
import { initModels, type GuildSettings, type Models } from './models.js';
import { PrivacyStore } from './privacy-store.js';
import { StatsStore } from './stats-store.js';
import { TicketStore } from './ticket-store.js';

export type { TicketUpdate } from './ticket-store.js';
export type { PrivacyErasure, PrivacyExport } from './privacy-store.js';
export type { BotStats } from './stats-store.js';

/** Advisory lock of writes that span guilds (no snowflake is 0). */
const GLOBAL_LOCK_KEY = '0';

/**
 * The database and its one writer. The stores, split by what they hold, read and write
 * through it: `tickets`, `guilds` (configuration and presence), `stats`, `privacy`.
 *
 * SQLite: writes go through one in-process mutex (SQLite has a single writer, and
 * Sequelize's sqlite dialect hangs under concurrent write transactions); one
 * config-service process owns the file.
 *
 * Postgres: several config-service replicas share the database, so a write section holds
 * a transaction-scoped advisory lock keyed by its guild id (a snowflake fits Postgres's
 * bigint) for as long as it runs: a guild's reserves, ticket updates and configuration
 * writes run one at a time across every replica, other guilds' in parallel. The unique
 * indexes on (guild_id, number) and opening_interaction_id stand behind the lock.
 */
export class Repository {
  readonly models: Models;
  readonly tickets: TicketStore;
  readonly guilds: GuildStore;
  readonly stats: StatsStore;
  readonly privacy: PrivacyStore;
  readonly #writes = new Mutex();
  readonly #configLocks = new KeyedMutex();
  readonly #secrets = new Map<string, Promise<string>>();
  readonly #shared: boolean;

  constructor(readonly sequelize: Sequelize) {
    this.models = initModels(sequelize);
    this.#shared = sequelize.getDialect() === 'postgres';
    this.tickets = new TicketStore(this);
    this.guilds = new GuildStore(this);
    this.stats = new StatsStore(this);
    this.privacy = new PrivacyStore(this);
  }

  /**
   * Runs `section` as the only writer of the database (SQLite); with Postgres, as the only
   * one of the sections that span guilds (each guild's writers still run).
   */
  write<T>(section: () => Promise<T>): Promise<T> {
    return this.#locked(GLOBAL_LOCK_KEY, section);
  }

  /** Runs `section` as the only writer of the guild's rows (of the database, with SQLite). */
  writeGuild<T>(guildId: string, section: () => Promise<T>): Promise<T> {
    return this.#locked(guildId, section);
  }

  /**
   * The guild's configuration lock, held around load → change → write → publish (it
   * contains write sections, so it is a different lock): in-process with SQLite, an
   * advisory lock on a hash of the guild id with Postgres, so replicas take turns too.
   */
  readonly configLock = {
    run: <T>(guildId: string, section: () => Promise<T>): Promise<T> =>
      this.#shared ? this.#advisory(`hashtextextended('promton:config:' || :key, 0)`, guildId, section) : this.#configLocks.run(guildId, section),
  };

  #locked<T>(key: string, section: () => Promise<T>): Promise<T> {
    if (!this.#shared) return this.#writes.run(section);
    return this.#advisory('CAST(:key AS bigint)', key, section);
  }

  /** Runs `section` while a transaction holds the advisory lock `lockKey` (SQL of :key). */
  #advisory<T>(lockKey: string, key: string, section: () => Promise<T>): Promise<T> {
    return this.sequelize.transaction(async (transaction) => {
      await this.sequelize.query(`SELECT pg_advisory_xact_lock(${lockKey})`, { replacements: { key }, type: QueryTypes.SELECT, transaction });
      return section();
    });
  }

  /** A secret of app_secrets, read once from the database. */
  #secret(name: 'creator-key' | 'feedback-key'): Promise<string> {
    let secret = this.#secrets.get(name);
    if (!secret) {
      secret = this.sequelize
        .query<{ value: string }>('SELECT value FROM app_secrets WHERE name = :name', { replacements: { name }, type: QueryTypes.SELECT })
        .then(([row]) => {
          if (!row) throw new Error(`the ${name} secret is missing from app_secrets`);
          return row.value;
        });
      secret.catch(() => this.#secrets.delete(name));
      this.#secrets.set(name, secret);
    }
    return secret;
  }

  /** The creator key of a member in a guild. */
  async creatorKey(guildId: string, userId: string): Promise<string> {
    return creatorKey(await this.#secret('creator-key'), guildId, userId);
  }

  /** The key that signs feedback offers (see domain/feedback-token.ts). */
  feedbackKey(): Promise<string> {
    return this.#secret('feedback-key');
  }

  /** The guild's settings row, made when missing. */
  async ensureGuild(guildId: string, transaction?: Transaction): Promise<GuildSettings> {
    const existing = await this.models.GuildSettings.findByPk(guildId, { transaction: transaction ?? null });
    if (existing) return existing;
    return this.models.GuildSettings.create({ guildId, updatedAt: new Date() }, { transaction: transaction ?? null });
  }

  async close(): Promise<void> {
    // Let a write in progress finish before the connections go.
    await this.write(async () => undefined);
    await this.sequelize.close();
  }
}
