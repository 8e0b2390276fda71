import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemDocument, ProblemFieldError, ProblemUpstream } from './problem';

/** OpenAPI schema of the problem+json error body (see `problem.ts`). */
export class ProblemFieldErrorDto implements ProblemFieldError {
  /** Dotted path of the offending input, array items by index; empty for the whole body. */
  @ApiProperty({ example: 'groups.0' })
  field: string;

  @ApiProperty({ example: 'groups.0 must not contain a comma' })
  message: string;
}

export class ProblemUpstreamDto implements ProblemUpstream {
  @ApiProperty({ example: 'service.AUTH_EXPIRED' })
  code: string;

  @ApiPropertyOptional({ example: 'qtp1-23:1700000000000:abc' })
  trace?: string;
}

export class ProblemDto implements ProblemDocument {
  @ApiProperty({ format: 'uri', example: 'https://imbridge.dev/problems/request.INVALID' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status: number;

  @ApiProperty({ example: 'The request has invalid fields: account.' })
  detail: string;

  /** Stable machine code: the upstream's where one exists, else ours (`request.INVALID` …). */
  @ApiProperty({ example: 'request.INVALID' })
  code: string;

  @ApiPropertyOptional({ type: () => [ProblemFieldErrorDto] })
  errors?: ProblemFieldErrorDto[];

  @ApiPropertyOptional({ type: () => ProblemUpstreamDto })
  upstream?: ProblemUpstreamDto;
}

