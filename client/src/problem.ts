/** An RFC 9457 problem document, as the service answers every error (REST and command `error` frames). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail: string;
  code: string;
  errors?: { field: string; message: string }[];
  upstream?: { code: string; trace?: string };
}

/** An error answer of the service, or one of the client's own (codes `client.…`). */
export class ImbridgeError extends Error {
  override readonly name = 'ImbridgeError';
  readonly code: string;
  readonly status?: number;

  constructor(readonly problem: Problem) {
    super(`${problem.code}: ${problem.detail}`);
    this.code = problem.code;
    this.status = problem.status;
  }
}

/** The client's own errors: no answer in time, the client closed, the token refused. */
export const clientError = (code: 'client.TIMEOUT' | 'client.CLOSED', detail: string): ImbridgeError =>
  new ImbridgeError({ code, detail });
