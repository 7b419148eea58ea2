import type { Migration } from '@app/sql';

/**
 * One link per event, in log order: `seq` counts events from 1, `hash` commits to the event at
 * `position` and to every link before it. Written only by the chain keeper, never rebuilt.
 */
export const eventChainMigrations: Migration[] = [
  {
    version: 1,
    name: 'the event hash chain',
    sqlite: [
      `CREATE TABLE event_chain (seq INTEGER PRIMARY KEY, position TEXT NOT NULL UNIQUE, event_id TEXT NOT NULL,
        hash TEXT NOT NULL)`,
    ],
    postgres: [
      `CREATE TABLE event_chain (seq BIGINT PRIMARY KEY, position TEXT NOT NULL UNIQUE, event_id TEXT NOT NULL,
        hash TEXT NOT NULL)`,
    ],
  },
];

export interface ChainLink {
  seq: number;
  position: string;
  eventId: string;
  hash: string;
}
