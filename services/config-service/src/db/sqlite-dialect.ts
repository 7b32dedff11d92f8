import sqlite3 from 'sqlite3';

/**
 * Applied to every SQLite connection. Sequelize's sqlite dialect opens a new connection
 * per transaction and runs no afterConnect hook, so a PRAGMA sent as a query would reach
 * one connection only; this wrapper applies them as each connection opens.
 */
export const SQLITE_PRAGMAS = 'PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;';

type OpenCallback = (err: Error | null) => void;

class PragmaDatabase extends sqlite3.Database {
  constructor(filename: string, mode?: number | OpenCallback, callback?: OpenCallback) {
    const done: OpenCallback = typeof mode === 'function' ? mode : (callback ?? (() => undefined));
    const openMode = typeof mode === 'number' ? mode : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
    // eslint-disable-next-line prefer-const -- assigned after super(), which must come first
    let self: PragmaDatabase | undefined;
    super(filename, openMode, (err) => {
      if (err) return done(err);
      // The open callback runs asynchronously, after the constructor returned.
      self!.exec(SQLITE_PRAGMAS, (pragmaError) => done(pragmaError ?? null));
    });
    self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the open callback runs after the constructor
  }
}

/** The `dialectModule` handed to Sequelize: sqlite3 with PragmaDatabase as its Database. */
export const sqliteDialectModule = { ...sqlite3, Database: PragmaDatabase };
