/** The five OneCard services; each owns one Postgres schema and one slice of the subject space. */
export const APP_NAMES = ['card-issuance', 'transit-validation', 'campus-card', 'wage-attendance', 'tuya-bridge'] as const;
export type AppName = (typeof APP_NAMES)[number];
