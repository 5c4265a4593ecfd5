/**
 * Whether the supervision platform took a callback: an HTTP 2xx whose body, when it is the
 * document's envelope (or any JSON object saying so), does not report a failure
 * (`success: false`, or a `code` other than 200 or 0). A 2xx with a body that is not JSON counts
 * as taken. Returns the reason otherwise (for /admin/callbacks; never the body itself).
 */
export function refusalOf(status: number, body: string): string | undefined {
  if (status < 200 || status > 299) return `HTTP ${status}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { success, code, message } = parsed as { success?: unknown; code?: unknown; message?: unknown };
  const said = typeof message === 'string' && message !== '' ? `: ${message.slice(0, 200)}` : '';
  if (success === false) return `answered success false${code !== undefined ? ` (code ${String(code)})` : ''}${said}`;
  if (code !== undefined && success !== true && String(code) !== '200' && String(code) !== '0') return `answered code ${String(code)}${said}`;
  return undefined;
}
