import { ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsBareJid, IsOptionalNonNull, IsXmlSafe } from '../../common/validators';
import { ROOM_SETTINGS, RoomSettings, RoomSettingSpec } from '../../im/chat-configuration';

export const MAX_SETTING_TEXT_LENGTH = 4096;
export const MAX_SETTING_ITEMS = 256;
export const MAX_SETTING_ITEM_LENGTH = 256;
/** The upstream reads numbers into a Java int. */
export const MAX_SETTING_INT = 2_147_483_647;

/** Said of every writable text and list setting in the request schema. */
const EMPTY_KEEPS = 'Empty (`""`, `[]`) leaves the setting as it is: the IM server cannot clear a setting.';
const READ_ONLY_IGNORED = 'Reported by the room, never written: ignored in a request (so a configuration read can be sent back as it is).';

/** The class-validator rules of one setting in a request, from its table entry. */
function validationFor(spec: RoomSettingSpec): PropertyDecorator[] {
  const rules: PropertyDecorator[] = [IsOptionalNonNull()];
  // A read-only setting is ignored, but must still be of its type: junk is a 400, not silently dropped.
  switch (spec.type) {
    case 'boolean':
      return [...rules, IsBoolean()];
    case 'int':
      return spec.readOnly ? [...rules, IsInt()] : [...rules, IsInt(), Min(0), Max(MAX_SETTING_INT)];
    case 'timestamp':
      return [...rules, IsISO8601({ strict: true }), IsString()];
    case 'string':
      return [...rules, IsString(), IsXmlSafe(), MaxLength(MAX_SETTING_TEXT_LENGTH)];
    case 'string[]': {
      const items =
        spec.items === 'address'
          ? [IsBareJid({ each: true })]
          : spec.items
            ? [IsIn([...spec.items], { each: true, message: `each value in ${spec.key} must be one of: ${spec.items.join(', ')}` })]
            : [IsString({ each: true }), IsXmlSafe({ each: true }), MaxLength(MAX_SETTING_ITEM_LENGTH, { each: true })];
      return [...rules, IsArray(), ArrayMaxSize(MAX_SETTING_ITEMS), ...items];
    }
  }
}

/** The request schema of one setting: what may be written, and how. */
function requestDocumentationFor(spec: RoomSettingSpec): ApiPropertyOptions {
  const upstream = `Upstream var \`${spec.wire}\`.`;
  if (spec.readOnly) {
    const description = `${upstream} ${READ_ONLY_IGNORED}`;
    return spec.type === 'int'
      ? { type: 'integer', readOnly: true, description }
      : { type: String, format: 'date-time', readOnly: true, description };
  }
  switch (spec.type) {
    case 'boolean':
      return { type: Boolean, description: upstream };
    case 'int':
      return { type: 'integer', minimum: 0, maximum: MAX_SETTING_INT, description: upstream };
    case 'string':
    case 'timestamp':
      return { type: String, maxLength: MAX_SETTING_TEXT_LENGTH, description: `${upstream} ${EMPTY_KEEPS}` };
    case 'string[]': {
      const items = Array.isArray(spec.items) ? { enum: [...spec.items] } : {};
      const what = spec.items === 'address' ? ' Bare addresses.' : '';
      return { type: String, isArray: true, maxItems: MAX_SETTING_ITEMS, description: `${upstream}${what} ${EMPTY_KEEPS}`, ...items };
    }
  }
}

/** The response schema of one setting: whatever the room reported, as the reader types it. */
function responseDocumentationFor(spec: RoomSettingSpec): ApiPropertyOptions {
  const upstream = `Upstream var \`${spec.wire}\`.`;
  const readOnly = spec.readOnly ? { readOnly: true } : {};
  switch (spec.type) {
    case 'boolean':
      return { type: Boolean, description: upstream, ...readOnly };
    case 'int':
      return { type: 'integer', description: upstream, ...readOnly };
    case 'string':
      return { type: String, description: `${upstream} May be empty.`, ...readOnly };
    case 'timestamp':
      return {
        type: String,
        format: 'date-time',
        description: `${upstream} ISO-8601 UTC, like \`sentAt\`; left out when the room reports no readable date.`,
        ...readOnly,
      };
    case 'string[]': {
      const items = Array.isArray(spec.items) ? { enum: [...spec.items] } : {};
      const what = spec.items === 'address' ? ' Bare addresses.' : Array.isArray(spec.items) ? ' Other values the room reports are left out.' : '';
      return { type: String, isArray: true, description: `${upstream}${what} May be empty.`, ...items, ...readOnly };
    }
  }
}

/**
 * Room settings to change (api.md "Room settings"): every property optional, unknown ones a 400.
 * The `settings` of a configuration read are valid here as they are: read-only settings are
 * ignored, and empty values leave their setting unchanged (the IM server skips them anyway).
 * Properties, rules and documentation all come from `ROOM_SETTINGS`, the table the upstream mapping uses.
 */
export interface UpdateRoomSettingsDto extends RoomSettings {}
export class UpdateRoomSettingsDto {}

/**
 * Room settings as the room reported them, typed; settings it did not report are absent. A response
 * schema of its own: the room reports values no request could set (empty ones, read-only ones).
 */
export interface RoomSettingsDto extends RoomSettings {}
export class RoomSettingsDto {}

for (const spec of ROOM_SETTINGS as readonly RoomSettingSpec[]) {
  for (const decorate of [...validationFor(spec), ApiPropertyOptional(requestDocumentationFor(spec))]) {
    decorate(UpdateRoomSettingsDto.prototype, spec.key);
  }
  ApiPropertyOptional(responseDocumentationFor(spec))(RoomSettingsDto.prototype, spec.key);
}
