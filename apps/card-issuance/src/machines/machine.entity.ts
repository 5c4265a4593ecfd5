import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum MachineStatus {
  ENABLED = 1,
  DISABLED = 2,
}

/** A card-printing kiosk: its project, sealed secret, status and consumables. */
@Entity('machine')
export class Machine {
  @PrimaryColumn({ name: 'machine_no', type: 'text' }) machineNo: string;
  @Column({ name: 'project_id', type: 'text' }) projectId: string;
  @Column({ type: 'text' }) address: string;
  /** SecretBox-sealed HMAC secret; never leaves the service after creation. */
  @Column({ name: 'secret_sealed', type: 'text', select: false }) secretSealed: string;
  @Column({ type: 'smallint' }) status: MachineStatus;
  /** Numeric level of each consumable (a count, or percentage points), for the low-stock alarm. */
  @Column({ name: 'card_count', type: 'numeric' }) cardCount: string;
  @Column({ name: 'ink_count', type: 'numeric' }) inkCount: string;
  @Column({ name: 'card_rope_cover', type: 'numeric' }) cardRopeCover: string;
  /** The kiosk's last report of each, as it sent it (`120`, `85.5`, `85%`). */
  @Column({ name: 'card_count_reported', type: 'text' }) cardCountReported: string;
  @Column({ name: 'ink_count_reported', type: 'text' }) inkCountReported: string;
  @Column({ name: 'card_rope_cover_reported', type: 'text' }) cardRopeCoverReported: string;
  @Column({ name: 'card_count_threshold', type: 'integer' }) cardCountThreshold: number;
  @Column({ name: 'ink_count_threshold', type: 'integer' }) inkCountThreshold: number;
  @Column({ name: 'card_rope_cover_threshold', type: 'integer' }) cardRopeCoverThreshold: number;
  @Column({ name: 'card_count_low', type: 'boolean' }) cardCountLow: boolean;
  @Column({ name: 'ink_count_low', type: 'boolean' }) inkCountLow: boolean;
  @Column({ name: 'card_rope_cover_low', type: 'boolean' }) cardRopeCoverLow: boolean;
  @Column({ name: 'stock_reported_at', type: 'timestamptz', nullable: true }) stockReportedAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
