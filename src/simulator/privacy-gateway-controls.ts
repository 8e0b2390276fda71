import type { Account } from './accounts';
import type { SimulatorCore } from './core';
import { isGatewayType, type GatewayState, type GatewayType } from './im/gateways';
import type { PrivacyItem, PrivacyList } from './im/privacy';

/** Test controls behind ImSimulator's privacy and gateway methods (§12.10–§12.12). */

export type { PrivacyItem, PrivacyList } from './im/privacy';
export type { GatewayState, GatewayType } from './im/gateways';

export interface GatewayRegistrationView {
  type: GatewayType;
  name: string;
  state: GatewayState;
  /** Only while a reconnect is scheduled. */
  timeUntilNextConnect?: number;
}

export interface PrivacyView {
  defaultName?: string;
  lists: PrivacyList[];
}

function account(core: SimulatorCore, address: string): Account {
  const found = core.accounts.byName(address);
  if (!found) throw new Error(`unknown account: ${address}`);
  return found;
}

function gatewayType(type: string): GatewayType {
  if (!isGatewayType(type)) throw new Error(`unknown gateway type: ${type}`);
  return type;
}

export function setGatewayPassword(core: SimulatorCore, type: string, name: string, password: string): void {
  core.gateways.setRemotePassword(gatewayType(type), name, password);
}

export function gatewayDisconnect(core: SimulatorCore, address: string, type: string, retryInMs: number): void {
  if (!Number.isSafeInteger(retryInMs) || retryInMs < 0) throw new RangeError('retryInMs must be a non-negative integer');
  core.gateways.disconnect(account(core, address), gatewayType(type), retryInMs);
}

export function gatewayLoggedInElsewhere(core: SimulatorCore, address: string, type: string): void {
  core.gateways.loggedInElsewhere(account(core, address), gatewayType(type));
}

export function gatewayRegistrations(core: SimulatorCore, address: string): GatewayRegistrationView[] {
  const found = core.accounts.byName(address);
  if (!found) return [];
  const now = core.clock.now();
  return core.gateways.list(found).map((r) => ({
    type: r.type,
    name: r.name,
    state: r.state,
    ...(r.retry && r.dueAt !== undefined ? { timeUntilNextConnect: Math.max(0, r.dueAt - now) } : {}),
  }));
}

/** Stores a list server-side as another XMPP client would (online or not); an online persona gets the push. */
export function putPrivacyList(core: SimulatorCore, address: string, name: string, items: PrivacyItem[]): void {
  const orders = new Set(items.map((i) => i.order));
  if (orders.size !== items.length || items.some((i) => !Number.isInteger(i.order) || i.order <= 0)) {
    throw new RangeError('privacy item orders must be unique positive integers');
  }
  const persona = core.im.persona(account(core, address));
  persona.privacy.put({ name, items: items.map((i) => ({ ...i })) });
  core.privacy.fetch(persona);
}

export function privacyLists(core: SimulatorCore, address: string): PrivacyView {
  const found = core.accounts.byName(address);
  if (!found) return { lists: [] };
  const store = core.im.persona(found).privacy;
  const lists = store.names().map((n) => structuredClone(store.get(n)!));
  return store.defaultName === undefined ? { lists } : { defaultName: store.defaultName, lists };
}
