import type { XmlNode } from '../../soap/xml';
import { illegalArgument } from '../faults';

/**
 * Room configuration under the server's var names (§12.8): `noanonymous`, `logsurl`, multi-valued
 * vars marked `multi="1"`. Booleans are stored as 1/0.
 */
export const CONFIG_VARS = [
  'open', 'creationdate', 'publicroom', 'moderated', 'persistent', 'membersonly', 'noanonymous', 'semianonymous',
  'passwordprotect', 'password', 'numoccupants', 'maxusers', 'longname', 'description', 'subject', 'subjectmodifyable',
  'allowinvites', 'presencebroadcast', 'logsurl', 'owners', 'admins', 'whois', 'enablelogging', 'reservednick',
  'canchangenick', 'allowregister', 'getmemberlist', 'contactid',
] as const;
export type ConfigVar = (typeof CONFIG_VARS)[number];

export const MULTI_VARS: ReadonlySet<ConfigVar> = new Set(['presencebroadcast', 'owners', 'admins', 'whois', 'getmemberlist']);
const BOOLEAN_VARS: ReadonlySet<ConfigVar> = new Set([
  'open', 'publicroom', 'moderated', 'persistent', 'membersonly', 'noanonymous', 'semianonymous', 'passwordprotect',
  'subjectmodifyable', 'allowinvites', 'enablelogging', 'reservednick', 'canchangenick', 'allowregister',
]);

/** What anyone gets (the room's disco#info). */
const INFO_FORM: readonly ConfigVar[] = [
  'open', 'creationdate', 'publicroom', 'moderated', 'persistent', 'membersonly', 'noanonymous', 'semianonymous',
  'passwordprotect', 'numoccupants', 'longname', 'description', 'subject', 'logsurl', 'contactid',
];
/** What an owner gets with requestOwnerConfig (the muc#owner form). */
const OWNER_FORM: readonly ConfigVar[] = [
  'longname', 'description', 'subject', 'subjectmodifyable', 'maxusers', 'presencebroadcast', 'publicroom', 'persistent',
  'moderated', 'membersonly', 'allowinvites', 'passwordprotect', 'password', 'whois', 'noanonymous', 'enablelogging',
  'reservednick', 'canchangenick', 'allowregister', 'logsurl', 'admins', 'owners', 'getmemberlist',
];

export type ConfigValues = Map<ConfigVar, string[]>;

export function defaultConfig(local: string): ConfigValues {
  const defaults: Partial<Record<ConfigVar, string[]>> = {
    publicroom: ['1'], moderated: ['0'], persistent: ['0'], membersonly: ['0'], noanonymous: ['0'], semianonymous: ['1'],
    passwordprotect: ['0'], password: [''], maxusers: ['30'], longname: [local], description: [''], subject: [''],
    subjectmodifyable: ['0'], allowinvites: ['0'], presencebroadcast: ['moderator', 'participant', 'visitor'],
    logsurl: [''], whois: ['moderators'], enablelogging: ['0'], reservednick: ['0'], canchangenick: ['1'],
    allowregister: ['1'], getmemberlist: ['moderator', 'participant', 'visitor'],
  };
  return new Map(Object.entries(defaults) as [ConfigVar, string[]][]);
}

export const isOn = (config: ConfigValues, name: ConfigVar) => config.get(name)?.[0] === '1';

/** IMModifyChat configure's `<var>` children (§12.7): exact lower-case names, empty values skipped, true/false → 1/0. */
export function parseVars(vars: XmlNode[], readText: (n: XmlNode | undefined) => string, readChildren: (n: XmlNode, name: string) => XmlNode[]): Map<ConfigVar, string[]> {
  const out = new Map<ConfigVar, string[]>();
  for (const v of vars) {
    const name = typeof v['@_name'] === 'string' ? v['@_name'] : '';
    if (!(CONFIG_VARS as readonly string[]).includes(name)) throw illegalArgument(`No enum constant com.zimbra.cs.im.IMChat.MucConfigVar.${name}`);
    const key = name as ConfigVar;
    const raw = v['@_multi'] === '1' || v['@_multi'] === 'true' ? readChildren(v, 'value').map((x) => readText(x)) : [readText(v)];
    const values = raw.filter((x) => x !== '').map((x) => (BOOLEAN_VARS.has(key) ? boolValue(x) : x));
    if (values.length) out.set(key, values);
  }
  return out;
}

function boolValue(x: string): string {
  const v = x.trim().toLowerCase();
  return v === 'true' ? '1' : v === 'false' ? '0' : x;
}

/** The `<var>` list of the info form or the owner form; computed vars filled by `computed`. */
export function formVars(config: ConfigValues, owner: boolean, computed: Partial<Record<ConfigVar, string[]>>): XmlNode[] {
  return (owner ? OWNER_FORM : INFO_FORM).map((name) => {
    const values = computed[name] ?? config.get(name) ?? [];
    if (MULTI_VARS.has(name)) return values.length ? { '@_name': name, '@_multi': '1', value: values } : { '@_name': name, '@_multi': '1' };
    return { '@_name': name, '#text': values[0] ?? '' };
  });
}
