import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A person the supervision platform registered (a worker), by card or ID number. */
@Entity('person')
export class Person {
  /** 20 hex digits, issued here; the platform's handle in every later call. */
  @PrimaryColumn({ type: 'text' }) guid: string;
  @Column({ name: 'card_no', type: 'text' }) cardNo: string;
  @Column({ name: 'card_key', type: 'text' }) cardKey: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', nullable: true }) phone: string | null;
  @Column({ type: 'text' }) tag: string;
  /** The current photo (person_photo), null until one is registered. */
  @Column({ name: 'face_guid', type: 'text', nullable: true }) faceGuid: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt: Date | null;
}
