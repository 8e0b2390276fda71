import { SoapFault, failure } from '../faults';

/** The im.* faults of §8 that chats and conference rooms raise (all Sender). */

export const notAllowed = (addr: string) =>
  new SoapFault('im.NOT_ALLOWED', `Permission denied trying to access: ${addr}`, 'sender', [{ name: 'addr', type: 'STR', value: addr }]);

export const notAConferenceService = (addr: string) =>
  new SoapFault('im.NOT_A_CONFERENCE_SERVICE', `${addr} is not a conference service`, 'sender', [{ name: 'addr', type: 'STR', value: addr }]);

export const notAMucChat = (thread: string) =>
  new SoapFault('im.NOT_A_MUC_CHAT', `${thread} is not a MUC chat and cannot be configured`, 'sender', [
    { name: 'thread', type: 'STR', value: thread },
  ]);

export const noResponse = (addr: string, doing: string) =>
  new SoapFault('im.NO_RESPONSE', `No response from addr: ${addr} while ${doing}`, 'sender', [{ name: 'addr', type: 'STR', value: addr }]);

/** Requests that need the XMPP connection fail like this while the persona is offline (§8 "not logged in"). */
export const notLoggedIn = () => failure('not logged in');
