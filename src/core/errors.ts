/** The message of an error-like value (an Error's message, else the value as text). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
