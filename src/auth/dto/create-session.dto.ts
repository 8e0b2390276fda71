import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsBareJid, IsXmlSafe } from '../../common/validators';

/** Body of `POST /v1/sessions`. */
export class CreateSessionDto {
  /** The account's bare address. */
  @ApiProperty({ example: 'alice@example.com', maxLength: 320 })
  @IsBareJid()
  account: string;

  /** Sent upstream once and never kept. */
  @ApiProperty({ format: 'password', minLength: 1, maxLength: 1024, writeOnly: true, example: 'alice-pass' })
  @IsXmlSafe()
  @Length(1, 1024)
  @IsString()
  password: string;
}
