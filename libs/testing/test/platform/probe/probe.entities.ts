import { Column, Entity, MigrationInterface, PrimaryGeneratedColumn, QueryRunner } from 'typeorm';

/** A row the probe app writes together with an event. */
@Entity({ name: 'probe_item' })
export class ProbeItem {
  @PrimaryGeneratedColumn() id!: number;
  @Column() name!: string;
}

export class ProbeTables1732300000100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE probe_item (id serial PRIMARY KEY, name text NOT NULL UNIQUE)`);
    await q.query(`CREATE TABLE probe_applied (id serial PRIMARY KEY, event_id uuid NOT NULL, order_id text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE probe_applied`);
    await q.query(`DROP TABLE probe_item`);
  }
}

/** What the probe's consumers record about their deliveries (failing consumers' tests). */
export class ProbeConsumerTables1733700000100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE probe_failure_plan (order_id text PRIMARY KEY, failures integer NOT NULL)`);
    await q.query(`CREATE TABLE probe_attempt (id serial PRIMARY KEY, event_id uuid NOT NULL, replica text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    await q.query(`CREATE TABLE probe_checked (event_id uuid PRIMARY KEY, started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE probe_notice (event_id uuid PRIMARY KEY, card_no text NOT NULL, in_transaction boolean NOT NULL, sent_at timestamptz)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE probe_notice`);
    await q.query(`DROP TABLE probe_checked`);
    await q.query(`DROP TABLE probe_attempt`);
    await q.query(`DROP TABLE probe_failure_plan`);
  }
}
