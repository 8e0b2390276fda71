import type { SimulatorAccount } from './options';

/** The accounts a standalone or embedded simulator starts with. */
export const DEMO_ACCOUNTS: readonly SimulatorAccount[] = Object.freeze(
  ['alice', 'bob', 'carol', 'dave'].map((name) => Object.freeze({ address: `${name}@example.com`, password: `${name}-pass` })),
);
