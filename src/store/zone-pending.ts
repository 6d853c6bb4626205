/** Placeholder for the zone journal and TSIG keys while issue 10's store part is written: every call rejects. */
import type { TsigKeyPort, TxtUpdatePort, ZoneJournalPort } from './zone-types';

const pending = (): Promise<never> => Promise.reject(new Error('not implemented yet (issue 10 store part)'));

/** Every method of the issue-10 ports, rejecting. */
export const zonePending: ZoneJournalPort & TsigKeyPort & TxtUpdatePort = {
  zoneSerial: pending,
  zoneSnapshot: pending,
  zoneChangesSince: pending,
  expireZoneValues: pending,
  pruneZoneJournal: pending,
  addTsigKey: pending,
  listTsigKeys: pending,
  findTsigKey: pending,
  removeTsigKey: pending,
  applyTxtUpdate: pending,
};
