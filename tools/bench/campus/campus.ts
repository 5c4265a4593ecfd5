// What the campus figures share: the service with its seeded cards, and cardholders logged in
// through the real authorization code flow.
import type { BenchTarget, Proc } from '../common';

export interface Campus {
  target: BenchTarget;
  service: Proc;
  paymentSecret: string;
  /** Every seeded card number. */
  cards: string[];
  /** Ledger entries per card. */
  entriesPerCard: number;
  /** Access tokens (scope card_transactions) of the first cardholders, token i for card i. */
  tokens: string[];
}

/** A cardholder's token through the real authorization code flow. */
export async function login(url: string, client: { clientId: string; clientSecret: string; redirectUri: string }, userCode: string, password: string): Promise<string> {
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual' as const,
  });
  const authorized = await fetch(`${url}/oauth/authorize`, form({ response_type: 'code', client_id: client.clientId, redirect_uri: client.redirectUri, scope: 'card_transactions', username: userCode, password }));
  const code = new URL(authorized.headers.get('location') ?? 'x:/').searchParams.get('code');
  if (!code) throw new Error(`no code for ${userCode}: ${authorized.status} ${await authorized.text()}`);
  const token = await fetch(`${url}/oauth/token`, form({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, client_id: client.clientId, client_secret: client.clientSecret }));
  return ((await token.json()) as { access_token: string }).access_token;
}
