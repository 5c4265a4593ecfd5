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
