import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EVENT_TYPES, type EventData } from '../client/src';
import { EVENT_TYPES as SERVICE_EVENT_TYPES, type EventData as ServiceEventData } from '../src/link/events';

/** True only when A and B are the same type (not merely assignable one way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** An intersection as one object type (`{ a } & { b }` is written `{ a; b }` on the other side). */
type Flat<T> = { [K in keyof T]: T[K] };
/** Per event type: true when both sides' data shapes are the same. */
type SameData = { [K in keyof EventData | keyof ServiceEventData]: K extends keyof EventData & keyof ServiceEventData ? Same<Flat<EventData[K]>, Flat<ServiceEventData[K]>> : false };

/** The SDK's types are the service's: its event types by construction, its REST types generated from the document. */
describe('the client SDK\'s types', () => {
  it('has the service\'s event types and data shapes, type for type', () => {
    // A compile-time check (ts-jest type-checks this file): any difference in a data shape fails the spec.
    const same: SameData = {
      roster: true, contact: true, message: true, typing: true, messageError: true, presence: true, subscriptionRequest: true,
      participantJoined: true, participantUpdated: true, participantLeft: true, chatClosed: true, invitation: true,
      gatewayStatus: true, gatewayOtherLocation: true, privacyList: true, resync: true,
    };
    expect(Object.values(same).every(Boolean)).toBe(true);
    expect([...EVENT_TYPES].sort()).toEqual([...SERVICE_EVENT_TYPES].sort());
  });

  it('has REST types generated from the checked-in openapi/openapi.json (npm run openapi regenerates them)', async () => {
    const script = join(__dirname, '..', 'client', 'scripts', 'generate-types.mjs');
    await expect(promisify(execFile)(process.execPath, [script, '--check'])).resolves.toBeDefined();
  }, 60_000);
});
