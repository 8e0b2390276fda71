import { ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength, ValidateBy,
} from 'class-validator';
import { IsBareJid, IsOptionalNonNull, IsXmlSafe } from '../../common/validators';
import { ROOM_SETTINGS, RoomSettings, RoomSettingSpec } from '../../im/chat-configuration';

export const MAX_SETTING_TEXT_LENGTH = 4096;
export const MAX_SETTING_ITEMS = 256;
export const MAX_SETTING_ITEM_LENGTH = 256;
/** The upstream reads numbers into a Java int. */
export const MAX_SETTING_INT = 2_147_483_647;

const EMPTY_IGNORED = 'the IM server ignores empty values, so a setting cannot be cleared this way';

/** Always fails: the setting is reported by the server but cannot be written. */
function IsReadOnlySetting(): PropertyDecorator {
  return ValidateBy({
    name: 'isReadOnlySetting',
    validator: {
      validate: () => false,
      defaultMessage: (args) => `${args?.property ?? 'setting'} is read-only (reported by the room, cannot be changed)`,
    },
  });
}

/** The class-validator rules of one setting, from its table entry. */
function validationFor(spec: RoomSettingSpec): PropertyDecorator[] {
  const rules: PropertyDecorator[] = [IsOptionalNonNull()];
  if (spec.readOnly) return [...rules, IsReadOnlySetting()];
  switch (spec.type) {
    case 'boolean':
      return [...rules, IsBoolean()];
    case 'int':
      return [...rules, IsInt(), Min(0), Max(MAX_SETTING_INT)];
    case 'string':
      return [
        ...rules, IsString(), IsXmlSafe(), MaxLength(MAX_SETTING_TEXT_LENGTH),
        MinLength(1, { message: `${spec.key} must not be empty: ${EMPTY_IGNORED}` }),
      ];
    case 'timestamp': // only ever reported by the room
      return [...rules, IsReadOnlySetting()];
    case 'string[]': {
      const items =
        spec.items === 'address'
          ? [IsBareJid({ each: true })]
          : spec.items
            ? [IsIn([...spec.items], { each: true, message: `each value in ${spec.key} must be one of: ${spec.items.join(', ')}` })]
            : [IsString({ each: true }), IsXmlSafe({ each: true }), MaxLength(MAX_SETTING_ITEM_LENGTH, { each: true })];
      return [
        ...rules, IsArray(), ArrayMaxSize(MAX_SETTING_ITEMS),
        ArrayMinSize(1, { message: `${spec.key} must not be empty: ${EMPTY_IGNORED}` }), ...items,
      ];
    }
  }
}

function documentationFor(spec: RoomSettingSpec): ApiPropertyOptions {
  const upstream = `Upstream var \`${spec.wire}\`.`;
  const readOnly = spec.readOnly ? { readOnly: true } : {};
  switch (spec.type) {
    case 'boolean':
      return { type: Boolean, description: upstream, ...readOnly };
    case 'int':
      return { type: 'integer', minimum: 0, maximum: MAX_SETTING_INT, description: upstream, ...readOnly };
    case 'string':
      return { type: String, minLength: 1, maxLength: MAX_SETTING_TEXT_LENGTH, description: upstream, ...readOnly };
    case 'timestamp':
      return {
        type: String,
        format: 'date-time',
        description: `${upstream} ISO-8601 UTC, like \`sentAt\`; left out when the room reports no readable date.`,
        ...readOnly,
      };
    case 'string[]': {
      const items = Array.isArray(spec.items) ? { enum: [...spec.items] } : {};
      const what = spec.items === 'address' ? ' Bare addresses.' : '';
      return { type: String, isArray: true, minItems: 1, maxItems: MAX_SETTING_ITEMS, description: upstream + what, ...items, ...readOnly };
    }
  }
}

/**
 * Room settings, typed (api.md "Room settings"). In requests every property is optional and unknown
 * ones are a 400; `occupantCount` and `creationDate` are read-only. The properties, their rules and
 * their documentation all come from `ROOM_SETTINGS`, the same table the upstream mapping uses.
 */
export interface RoomSettingsDto extends RoomSettings {}
export class RoomSettingsDto {}

for (const spec of ROOM_SETTINGS as readonly RoomSettingSpec[]) {
  for (const decorate of [...validationFor(spec), ApiPropertyOptional(documentationFor(spec))]) {
    decorate(RoomSettingsDto.prototype, spec.key);
  }
}
