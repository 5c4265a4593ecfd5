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
  @Column({ name: 'card_count', type: 'integer' }) cardCount: number;
  @Column({ name: 'ink_count', type: 'integer' }) inkCount: number;
  @Column({ name: 'card_rope_cover', type: 'integer' }) cardRopeCover: number;
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
