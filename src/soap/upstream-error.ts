/**
 * Everything that can go wrong talking to the upstream, as one type. `code` is the stable machine
 * string clients see: the upstream's own code for faults and in-body `error=` values
 * (`im.INVALID_ADDRESS`, `not_found`, `NicknameConflict` …), ours for transport trouble.
 */
export type UpstreamErrorKind =
  /** A SOAP fault (HTTP 500 with a Fault body). */
  | 'fault'
  /** A successful response whose body carries an `error="…"` value (join errors, not_found …). */
  | 'result'
  /** Refused, reset, DNS failure, HTTP 503: the upstream could not be reached (see `answerLost`). */
  | 'unavailable'
  /** No answer in time. */
  | 'timeout'
  /** Not XML, not SOAP, an HTTP error without a fault, or a reply missing what the request needs. */
  | 'bad_response';

export interface FaultArgument {
  name: string;
  type: string;
  value: string;
}

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamErrorKind,
    readonly code: string,
    message: string,
    readonly details: {
      trace?: string;
      args?: FaultArgument[];
      /** SOAP 1.2 Sender/Receiver (1.1 Client/Server is normalised to these). */
      side?: 'sender' | 'receiver';
      httpStatus?: number;
      /**
       * The connection was lost after the request may have reached the upstream (reset or closed
       * mid-exchange): the upstream may have done what it asked, and its answer is lost.
       */
      answerLost?: true;
    } = {},
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  static unavailable(message: string, answerLost?: true): UpstreamError {
    return new UpstreamError('unavailable', 'upstream.UNAVAILABLE', message, answerLost ? { answerLost } : {});
  }

  static timeout(message: string): UpstreamError {
    return new UpstreamError('timeout', 'upstream.TIMEOUT', message);
  }

  static badResponse(message: string, httpStatus?: number): UpstreamError {
    return new UpstreamError('bad_response', 'upstream.BAD_RESPONSE', message, { httpStatus });
  }

  static result(code: string, message: string): UpstreamError {
    return new UpstreamError('result', code, message);
  }
}
