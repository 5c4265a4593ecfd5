/** The document's scopes. */
export const SCOPES = ['card_info', 'manage_card', 'card_transactions', 'write_card_info', 'privacy'] as const;
export type Scope = (typeof SCOPES)[number];

/** Grants a client may be registered for (RFC 6749 names). */
export const GRANTS = ['authorization_code', 'client_credentials', 'refresh_token'] as const;
export type Grant = (typeof GRANTS)[number];

/** How the token was obtained: for a person (authorization code, and refreshes of it) or for the client itself. */
export type TokenGrant = 'authorization_code' | 'client_credentials';
