/** The directory's entities: professionals, their away periods and the EDT rota. */

/** A professional in the directory. No child or family data is ever held here. */
export interface Person {
  personId: string;
  name: string;
  email: string;
  phone?: string;
  team?: string;
  managerId?: string;
  updatedAt: string;
}

/** A person's second point of contact for a period. */
export interface AwayPeriod {
  personId: string;
  from: string;
  to: string;
  delegateId: string;
}

/** A person on the EDT rota for a period, at a tier (1: the EDT manager, the default; 2: the senior manager). */
export interface RotaShift {
  personId: string;
  from: string;
  to: string;
  tier?: 1 | 2;
}

/** A rota shift as stored (`tier` absent: tier 1, the EDT manager on call). */
export type StoredShift = RotaShift;
