/** The authorization endpoint's pages: a plain login form a person can use in any browser. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** The authorization request's parameters, carried through the form as hidden fields. */
export const AUTHORIZE_FIELDS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:22rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.4rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1.2rem}.error{color:#b00020}</style>
</head><body>${body}</body></html>`;
}

/** The login form posting back to /oauth/authorize with the request's parameters. */
export function loginPage(params: Record<string, unknown>, clientId: string, scopes: string[], error?: string): string {
  const hidden = AUTHORIZE_FIELDS.filter((f) => typeof params[f] === 'string' && params[f] !== '')
    .map((f) => `<input type="hidden" name="${f}" value="${escapeHtml(String(params[f]))}">`)
    .join('\n');
  const username = typeof params.username === 'string' ? params.username : '';
  return page(
    '校园卡 · 登录授权',
    `<h1>登录授权</h1>
<p>应用 <b>${escapeHtml(clientId)}</b> 请求访问: ${scopes.map(escapeHtml).join(', ')}</p>
${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/oauth/authorize">
${hidden}
<label for="username">学工号</label><input id="username" type="text" name="username" value="${escapeHtml(username)}" autocomplete="username" required>
<label for="password">密码</label><input id="password" type="password" name="password" autocomplete="current-password" required>
<button type="submit">登录并授权</button>
</form>`,
  );
}

/** A request that cannot be sent back to the client (unknown client, unregistered redirect_uri). */
export function errorPage(message: string): string {
  return page('校园卡 · 授权失败', `<h1>授权失败</h1><p class="error">${escapeHtml(message)}</p>`);
}
