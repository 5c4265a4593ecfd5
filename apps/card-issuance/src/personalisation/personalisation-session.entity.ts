import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum SessionStatus {
  ACTIVE = 'ACTIVE',
  FINISHED = 'FINISHED',
  FAILED = 'FAILED',
  /** Replaced by a newer getOpenCardApdu for the same order, or the order was cancelled. */
  ABANDONED = 'ABANDONED',
  /** No report for longer than PERSONALISATION_IDLE_SECONDS: the kiosk went away mid-card. */
  EXPIRED = 'EXPIRED',
}

/** What a kiosk reported last, normalised (uppercase R-APDU). */
export interface StoredReport {
  apduIndex: number;
  rapdu: string;
  result: '0x00' | '0x01';
}

/**
 * One card being personalised at one kiosk: the apdu library's state (no keys), the index
 * range of the outstanding batch and the last report with the exact answer given to it, so a
 * repeated report is answered byte for byte.
 */
@Entity('personalisation_session')
export class PersonalisationSession {
  @PrimaryColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'order_id', type: 'text' }) orderId: string;
  @Column({ name: 'user_id', type: 'text' }) userId: string;
  @Column({ name: 'machine_no', type: 'text' }) machineNo: string;
  @Column({ type: 'text' }) uid: string;
  @Column({ type: 'text' }) status: SessionStatus;
  @Column({ name: 'card_no', type: 'text' }) cardNo: string;
  @Column({ name: 'issue_date', type: 'text' }) issueDate: string;
  @Column({ name: 'expiry_date', type: 'text' }) expiryDate: string;
  @Column({ type: 'jsonb' }) state: unknown;
  @Column({ name: 'batch_first', type: 'integer', nullable: true }) batchFirst: number | null;
  @Column({ name: 'batch_last', type: 'integer', nullable: true }) batchLast: number | null;
  @Column({ name: 'last_report', type: 'jsonb', nullable: true }) lastReport: StoredReport | null;
  /** JSON text (not jsonb: key order is part of the bytes replayed). */
  @Column({ name: 'last_answer', type: 'text' }) lastAnswer: string;
  @Column({ type: 'text', nullable: true }) failure: string | null;
  @Column({ type: 'integer' }) version: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
