import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * campus-card's tables: cardholders, card accounts with their physical cards, the ledger (every
 * balance change), recharge and transfer orders, photos, found-card reports, card.issued events
 * that matched no cardholder, and the OAuth2 server's clients, codes and tokens (secrets, codes
 * and tokens stored hashed). Money is integer fen. Unqualified names: the connection's
 * search_path is the app's schema.
 */
export class CampusCard1734000000000 implements MigrationInterface {
  name = 'CampusCard1734000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campus_user (
        user_code text PRIMARY KEY,
        name text NOT NULL,
        organize text NOT NULL DEFAULT '',
        user_type text NOT NULL DEFAULT '',
        password_hash text,
        query_password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE user_photo (
        user_code text PRIMARY KEY REFERENCES campus_user (user_code) ON DELETE CASCADE,
        format text NOT NULL CHECK (format IN ('jpg', 'png')),
        photo bytea NOT NULL,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`CREATE SEQUENCE card_no_seq START 100001`);
    await q.query(`
      CREATE TABLE card_account (
        card_no text PRIMARY KEY,
        user_code text NOT NULL REFERENCES campus_user (user_code),
        card_type text NOT NULL CHECK (card_type IN ('800', '801')),
        card_id text UNIQUE,
        expire_date text NOT NULL,
        bank_no text NOT NULL DEFAULT '',
        balance_fen bigint NOT NULL DEFAULT 0 CHECK (balance_fen >= 0),
        trans_balance_fen bigint NOT NULL DEFAULT 0,
        lost boolean NOT NULL DEFAULT false,
        frozen boolean NOT NULL DEFAULT false,
        open_amount_fen bigint NOT NULL DEFAULT 0,
        fee_waived boolean NOT NULL DEFAULT false,
        opened_by text NOT NULL,
        query_password_hash text NOT NULL,
        query_password_failures integer NOT NULL DEFAULT 0,
        query_password_locked_until timestamptz,
        opened_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_code, card_type)
      )`);
    await q.query(`
      CREATE TABLE physical_card (
        card_id text PRIMARY KEY,
        card_no text NOT NULL REFERENCES card_account (card_no),
        order_id text,
        bound_at timestamptz NOT NULL DEFAULT now(),
        replaced_at timestamptz
      )`);
    await q.query(`CREATE INDEX physical_card_account ON physical_card (card_no, bound_at DESC)`);

    await q.query(`
      CREATE TABLE ledger_entry (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        card_no text NOT NULL REFERENCES card_account (card_no),
        kind text NOT NULL CHECK (kind IN ('OPEN_DEPOSIT', 'OPEN_FEE', 'POS', 'RECHARGE', 'TRANSFER_OUT', 'TRANSFER_REFUND')),
        amount_fen bigint NOT NULL CHECK (amount_fen <> 0),
        balance_after_fen bigint NOT NULL CHECK (balance_after_fen >= 0),
        occurred_at timestamptz NOT NULL,
        booked_at timestamptz NOT NULL DEFAULT now(),
        system text NOT NULL DEFAULT '',
        merchant_no text NOT NULL DEFAULT '',
        merchant text NOT NULL DEFAULT '',
        description text NOT NULL,
        reference text
      )`);
    // A card's page by either clock, newest first: both orders the document allows, each an index walk.
    await q.query(`CREATE INDEX ledger_entry_by_time ON ledger_entry (card_no, occurred_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ledger_entry_by_booking ON ledger_entry (card_no, booked_at DESC, id DESC)`);
    // One credit per recharge order, one hold and one refund per transfer order, whatever retries.
    await q.query(`CREATE UNIQUE INDEX ledger_entry_reference ON ledger_entry (kind, reference) WHERE reference IS NOT NULL`);

    await q.query(`CREATE SEQUENCE recharge_order_id_seq START 300000000000001`);
    await q.query(`CREATE SEQUENCE recharge_serial_seq`);
    await q.query(`
      CREATE TABLE recharge_order (
        id bigint PRIMARY KEY DEFAULT nextval('recharge_order_id_seq'),
        card_no text NOT NULL REFERENCES card_account (card_no),
        user_code text NOT NULL,
        client_id text NOT NULL,
        apply_amount_fen bigint NOT NULL CHECK (apply_amount_fen > 0),
        apply_time timestamptz NOT NULL DEFAULT now(),
        expire_time timestamptz NOT NULL,
        serial_no text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('APPLY_PENDING', 'APPLY_FAILED', 'PAY_PENDING', 'PAY_FAILED', 'RECHARGE_PENDING', 'RECHARGING', 'RECHARGE_FAILED', 'RECHARGED')),
        recharge_amount_fen bigint,
        pay_time timestamptz,
        failed_reason text,
        recharged_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX recharge_order_card ON recharge_order (card_no, id DESC)`);
    await q.query(`CREATE INDEX recharge_order_unpaid ON recharge_order (expire_time) WHERE status = 'PAY_PENDING'`);

    await q.query(`CREATE SEQUENCE transfer_order_id_seq START 500000000000001`);
    await q.query(`
      CREATE TABLE transfer_order (
        id bigint PRIMARY KEY DEFAULT nextval('transfer_order_id_seq'),
        card_no text NOT NULL REFERENCES card_account (card_no),
        user_code text NOT NULL,
        client_id text NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        status text NOT NULL CHECK (status IN ('PAY_PENDING', 'RECHARGE_PENDING', 'RECHARGING', 'RECHARGED', 'REFUND_PENDING', 'REFUNDED', 'REFUND_FAILED')),
        pay_time timestamptz,
        recharge_time timestamptz,
        refund_time timestamptz,
        failed_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX transfer_order_open ON transfer_order (card_no, id) WHERE status IN ('PAY_PENDING', 'RECHARGE_PENDING', 'RECHARGING', 'REFUND_PENDING')`);
    await q.query(`CREATE INDEX transfer_order_listing ON transfer_order (status, id DESC)`);

    await q.query(`
      CREATE TABLE found_card_report (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        card_no text NOT NULL REFERENCES card_account (card_no),
        name text NOT NULL,
        code text NOT NULL,
        msg text NOT NULL,
        photo text,
        client_id text NOT NULL,
        reported_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX found_card_report_card ON found_card_report (card_no, id DESC)`);

    await q.query(`
      CREATE TABLE unmatched_card_issue (
        event_id uuid PRIMARY KEY,
        order_id text NOT NULL,
        order_type smallint NOT NULL,
        user_code text NOT NULL,
        card_id text NOT NULL,
        reason text NOT NULL,
        event jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolution text
      )`);
    await q.query(`CREATE INDEX unmatched_card_issue_open ON unmatched_card_issue (received_at) WHERE resolved_at IS NULL`);

    await q.query(`
      CREATE TABLE oauth_client (
        client_id text PRIMARY KEY,
        secret_hash text NOT NULL,
        redirect_uris text[] NOT NULL,
        scopes text[] NOT NULL,
        grants text[] NOT NULL,
        allow_transfer boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE oauth_code (
        code_hash text PRIMARY KEY,
        client_id text NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
        user_code text NOT NULL REFERENCES campus_user (user_code) ON DELETE CASCADE,
        redirect_uri text,
        scopes text[] NOT NULL,
        code_challenge text,
        code_challenge_method text,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX oauth_code_expiry ON oauth_code (expires_at)`);
    await q.query(`
      CREATE TABLE oauth_token (
        access_hash text PRIMARY KEY,
        refresh_hash text UNIQUE,
        client_id text NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
        user_code text REFERENCES campus_user (user_code) ON DELETE CASCADE,
        grant_type text NOT NULL CHECK (grant_type IN ('authorization_code', 'client_credentials')),
        scopes text[] NOT NULL,
        access_expires_at timestamptz NOT NULL,
        refresh_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX oauth_token_expiry ON oauth_token ((greatest(access_expires_at, coalesce(refresh_expires_at, access_expires_at))))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE oauth_token`);
    await q.query(`DROP TABLE oauth_code`);
    await q.query(`DROP TABLE oauth_client`);
    await q.query(`DROP TABLE unmatched_card_issue`);
    await q.query(`DROP TABLE found_card_report`);
    await q.query(`DROP TABLE transfer_order`);
    await q.query(`DROP SEQUENCE transfer_order_id_seq`);
    await q.query(`DROP TABLE recharge_order`);
    await q.query(`DROP SEQUENCE recharge_serial_seq`);
    await q.query(`DROP SEQUENCE recharge_order_id_seq`);
    await q.query(`DROP TABLE ledger_entry`);
    await q.query(`DROP TABLE physical_card`);
    await q.query(`DROP TABLE card_account`);
    await q.query(`DROP SEQUENCE card_no_seq`);
    await q.query(`DROP TABLE user_photo`);
    await q.query(`DROP TABLE campus_user`);
  }
}
