import { ApiProperty } from '@nestjs/swagger';

/** The body of a passing health check. */
export class HealthStatusDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: 'ok';
}
