import { authHandlers } from './auth';
import { chatHandlers } from './chats';
import { conferenceHandlers } from './conference';
import { gatewayHandlers } from './gateways';
import { noopHandlers } from './noop';
import type { HandlerTable } from './registry';
import { presenceHandlers } from './presence';
import { privacyHandlers } from './privacy';
import { rosterHandlers } from './roster';

/**
 * Every request the simulator answers, by local name. Anything else is service.UNKNOWN_DOCUMENT.
 */
export const HANDLERS: HandlerTable = {
  ...authHandlers,
  ...noopHandlers,
  ...gatewayHandlers,
  ...rosterHandlers,
  ...presenceHandlers,
  ...privacyHandlers,
  ...chatHandlers,
  ...conferenceHandlers,
};
