import { authHandlers } from './auth';
import { gatewayHandlers } from './gateways';
import { noopHandlers } from './noop';
import type { HandlerTable } from './registry';
import { presenceHandlers } from './presence';
import { rosterHandlers } from './roster';

/**
 * Every request the simulator answers, by local name. Anything else (chats, conferences, privacy,
 * gateway registration for now) is service.UNKNOWN_DOCUMENT.
 */
export const HANDLERS: HandlerTable = {
  ...authHandlers,
  ...noopHandlers,
  ...gatewayHandlers,
  ...rosterHandlers,
  ...presenceHandlers,
};
