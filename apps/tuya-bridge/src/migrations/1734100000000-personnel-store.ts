import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bridge's copy of Tuya's personnel cards (person, person_card), the history of syncs
 * (sync_run) and the access token the replicas share (tuya_token, sealed).
 */
export class PersonnelStore1734100000000 implements MigrationInterface {
  name = 'PersonnelStore1734100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person (
        project_id       text NOT NULL,
        person_id        text NOT NULL,
        name             text,
        enabled          smallint NOT NULL CHECK (enabled IN (1, 2)),
        sex              smallint,
        sex_str          text,
        cert_area        text,
        mobile_country   text,
        mobile           text,
        feature          text,
        image_path       text,
        structure_ids    jsonb NOT NULL DEFAULT '[]',
        structure_names  jsonb NOT NULL DEFAULT '[]',
        hold_card_num    integer NOT NULL DEFAULT 0,
        contain_password smallint,
        synced_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, person_id)
      )`);
    await q.query(`
      CREATE TABLE person_card (
        project_id              text NOT NULL,
        person_card_id          text NOT NULL,
        person_id               text NOT NULL,
        card_no                 text NOT NULL,
        card_status             smallint NOT NULL CHECK (card_status IN (1, 2)),
        card_type               smallint,
        bind_face               smallint,
        activation_time         timestamptz,
        report_lost_time        timestamptz,
        cancel_report_lost_time timestamptz,
        contain_password        smallint,
        can_bind_face           boolean,
        synced_at               timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, person_card_id),
        FOREIGN KEY (project_id, person_id) REFERENCES person (project_id, person_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX person_card_person ON person_card (project_id, person_id)`);
    await q.query(`CREATE INDEX person_card_no ON person_card (project_id, card_no)`);
    await q.query(`
      CREATE TABLE sync_run (
        id          bigserial PRIMARY KEY,
        trigger     text NOT NULL CHECK (trigger IN ('schedule', 'operator')),
        started_at  timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        outcome     text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'succeeded', 'failed')),
        persons     integer,
        cards       integer,
        created     integer,
        updated     integer,
        deleted     integer,
        requests    integer,
        error       text
      )`);
    await q.query(`CREATE INDEX sync_run_latest ON sync_run (outcome, finished_at DESC)`);
    await q.query(`
      CREATE TABLE tuya_token (
        client_id     text PRIMARY KEY,
        access_token  text NOT NULL,
        obtained_at   timestamptz NOT NULL,
        expires_at    timestamptz NOT NULL
      )`);
    await q.query(`COMMENT ON TABLE tuya_token IS 'the access token, sealed (AES-256-GCM) under a key derived from TUYA_CLIENT_SECRET'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tuya_token`);
    await q.query(`DROP TABLE sync_run`);
    await q.query(`DROP TABLE person_card`);
    await q.query(`DROP TABLE person`);
  }
}
