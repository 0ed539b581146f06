/** The ports only the operators' commands use. */
import type { CaseAggregate } from '#kernel/model.js';

/** Every case in the store, for recomputations that must see closed cases too. */
export interface CaseScan {
  /** Calls `visit` with every case, open or closed, in no particular order. */
  scanCases(visit: (aggregate: CaseAggregate) => void): Promise<void>;
}
