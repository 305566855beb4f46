// One error type for the app. `type` maps to HTTP once, at the route edge; `code` is stable for clients.

export type AppErrorType = "not_found" | "invalid_data" | "not_allowed" | "conflict" | "unexpected_state";

const STATUS: Record<AppErrorType, number> = {
  not_found: 404,
  invalid_data: 400,
  not_allowed: 403,
  conflict: 409,
  unexpected_state: 500,
};

export class AppError extends Error {
  constructor(
    readonly type: AppErrorType,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS[this.type];
  }
}

/** Turn anything thrown into a JSON response; Responses thrown by auth pass through untouched. */
export function errorResponse(error: unknown): Response {
  if (error instanceof Response) return error;
  if (error instanceof AppError) {
    return Response.json({ error: { type: error.type, code: error.code, message: error.message, details: error.details } }, { status: error.status });
  }
  console.error(error);
  return Response.json({ error: { type: "unexpected_state", code: "INTERNAL", message: "Something went wrong on our side." } }, { status: 500 });
}
